"""lessons: the library behind the book *Word2Vec and the Geometry of Meaning*.

The folders are the layers; each imports only from the layers above it in this list,
and no algorithm (``data``, ``vectors``, ``models``, ``geometry``) imports plotting or
widget code.  One line per module:

**base**: the small jobs every layer shares, written once

================================  =====================================================
``checks``                        argument checks: numbers, choices, arrays, paths, memory, seeds
``timing``                        the one wall-clock timer (best of N)
================================  =====================================================

**data**: text in, integer ids out

================================  =====================================================
``data.corpus``                   tokens, sentences, :class:`Vocabulary`, the article's corpora
``data.datasets``                 text8 and gutenberg8: find, download, verify, read
``data.corpus_file``              a corpus file counted and encoded as bytes (numba)
``data.toylang``                  a planted toy language with known analogies
================================  =====================================================

**vectors**: word vectors and what you ask of them

================================  =====================================================
``vectors.linalg``                unit rows, cosines (0 for a zero vector), the one centred PCA
``vectors.embeddings``            :class:`Embeddings`: similarity, neighbours, analogies
``vectors.neighbors``             what a query returns: ``Neighbors``, ``UnknownWordError``
``vectors.analogy``               the one analogy scorer (3CosAdd, 3CosMul) and accuracy
``vectors.evaluation``            Google analogies, WordSim-353, SimLex-999
``vectors.formats``               word2vec text/binary files, Embedding Projector TSV
``vectors.lsh``                   approximate neighbour search with random hyperplanes
``vectors.bias``                  a gender direction, WEAT tests, hard debiasing and its limits
``vectors.uncertainty``           bootstrap intervals, paired tests, seed spread, baselines
================================  =====================================================

**models**: the algorithms that make vectors

================================  =====================================================
``models.onehot``                 one-hot vectors and what they cost
``models.cooccurrence``           co-occurrence counts, PMI/PPMI, truncated SVD
``models.neural_lm``              Bengio et al.'s neural language model, in numpy
``models.skipgram``               skip-gram's softmax, negative sampling, subsampling, shifted PMI
``models.softmax``                skip-gram with the full softmax (numba)
``models.hierarchical_softmax``   Huffman tree, P(w | h) along a path, cost per example
``models.reference``              the word2vec algorithm as a readable plain-numpy loop
``models.article_loop``           the article's mini training loop, verbatim, and its bug
``models.word2vec``               the numba trainer, skip-gram and CBOW with negative sampling:
``models.word2vec.trainer``       ``train`` in named steps: validate, encode, initialise, run
``models.word2vec.settings``      the arguments, checked once into a frozen ``Settings``
``models.word2vec.encoding``      sentences of str to int32 token ids, cut into chunks
``models.word2vec.tables``        sigmoid tables, the LCG, subsampling, the alias table, the decay
``models.word2vec.simd``          the 8-lane float32 dot product and the row prefetch hint
``models.word2vec.kernel_steps``  the numba steps the word2vec and fastText kernels share
``models.word2vec.kernels``       the numba chunk kernels and their one negative-sampling step
``models.word2vec.runner``        the epoch runner on a thread pool (Hogwild)
``models.word2vec.history``       ``TrainingHistory``: one row per epoch
``models.word2vec.snapshots``     training with copies of the vectors after chosen epochs
``models.glove``                  GloVe: weighted least squares on log counts (toy and sparse numba)
``models.fasttext``               fastText: subword skip-gram trained end to end (numba):
``models.fasttext.ngrams``        character n-grams, fastText's FNV-1a hash, every word's rows
``models.fasttext.kernel``        the numba chunk kernel: skip-gram on a mean of rows
``models.fasttext.trainer``       ``train_fasttext`` in named steps, on word2vec's pieces
``models.fasttext.model``         ``SubwordModel``: the vector of any word, seen or not
``models.fasttext.morphology``    held-out word forms: ranks, spelling control, neighbour kinds
``models.attention``              self-attention: contextual vectors from static ones
================================  =====================================================

**geometry**: what high-dimensional space does to vectors

================================  =====================================================
``geometry.high_dimensions``      random cosines, shells, norms, anisotropy (closed forms)
``geometry.pca``                  principal component analysis, signs fixed
``geometry.projections``          Johnson–Lindenstrauss: random projections and their bounds
``geometry.superposition``        more features than dimensions: near-orthogonality, the toy model
``geometry.maps``                 2-D maps (t-SNE) and what they keep
================================  =====================================================

**book**: the book's machinery and each chapter's pictures

================================  =====================================================
``book.plots``                    plotly figures that stay interactive in the static book
``book.widgets``                  live ipywidgets panels for running notebooks
``book.exercises``                self-checking exercises
``book.prose``                    numbers in the prose, computed by the notebook (glue, spans)
``book.launch``                   the repository URL and each notebook's install cell
``book.references``               the bibliography: references.bib listed in references.md
``book.reproducible``             the same arithmetic on every CPU (BLAS threads, code paths)
``book.toc``                      the one reader of ``_toc.yml``
``book.text8_vectors``            the text8 vectors the geometry chapters share (cached)
``book.measurements``             committed measurements the chapters quote
``book.chapters.<chapter>``       that chapter's figures and live panels, one module each
================================  =====================================================
"""
from lessons.data.corpus import Vocabulary, article_corpus, iter_sentences, tokenize
from lessons.data.datasets import gutenberg8, text8
from lessons.models.softmax import train_softmax
from lessons.models.word2vec import TrainingHistory, train
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.evaluation import google_analogies, word_similarity
from lessons.vectors.formats import FormatError

__version__ = "0.1.0"

__all__ = [
    "Embeddings",
    "FormatError",
    "TrainingHistory",
    "Vocabulary",
    "article_corpus",
    "google_analogies",
    "gutenberg8",
    "iter_sentences",
    "text8",
    "tokenize",
    "train",
    "train_softmax",
    "word_similarity",
]
