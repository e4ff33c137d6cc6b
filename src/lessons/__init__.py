"""lessons: the library behind the book *Word2Vec and the Geometry of Meaning*.

Each module teaches one concept and names the chapter that uses it:

==================  ==========================================================
``corpus``          tokens, corpora, :class:`Vocabulary` (every chapter)
``datasets``        text8 and gutenberg8 (real-text chapters)
``toylang``         a planted toy language with known analogies
``onehot``          one-hot vectors and their cost
``word2vec``        the numba trainer: skip-gram / CBOW with negative sampling
``reference``       the same algorithm as a readable plain-numpy loop
``embeddings``      :class:`Embeddings`: similarity, neighbours, analogies
``evaluation``      Google analogies, WordSim-353, SimLex-999
``formats``         word2vec text/binary files, Embedding Projector TSV
``plots``           plotly figures that stay interactive in the static book
``widgets``         live ipywidgets panels for running notebooks
==================  ==========================================================
"""
from lessons.data.corpus import Vocabulary, article_corpus, iter_sentences, tokenize
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.evaluation import google_analogies, word_similarity
from lessons.vectors.formats import FormatError
from lessons.models.softmax import train_softmax
from lessons.models.word2vec import TrainingHistory, train

__version__ = "0.1.0"

__all__ = [
    "Embeddings",
    "FormatError",
    "TrainingHistory",
    "Vocabulary",
    "article_corpus",
    "google_analogies",
    "iter_sentences",
    "tokenize",
    "train",
    "train_softmax",
    "word_similarity",
]
