"""lessons: the library behind the book *Word2Vec and the Geometry of Meaning*.

Each module teaches one concept and names the chapter that uses it.
"""
from lessons.corpus import Vocabulary, article_corpus, iter_sentences, tokenize
from lessons.embeddings import Embeddings

__version__ = "0.1.0"

__all__ = ["Embeddings", "Vocabulary", "article_corpus", "iter_sentences", "tokenize"]
