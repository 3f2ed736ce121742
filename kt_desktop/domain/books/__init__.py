"""The declared books, one module each (listed in ``domain.book.BOOK_MODULES``)."""
