import threading

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from search import indexing, termbank, words

        if termbank.installed():
            post_save.connect(indexing.learn_term_names, sender="terms.Term", dispatch_uid="search.terms")

        # jieba's dictionary takes seconds to load: load it beside start-up, not in the
        # first search (a search arriving sooner waits for it).
        threading.Thread(target=words.tokenizer, name="jieba-warm-up", daemon=True).start()
