from django.apps import AppConfig


class ThrottlingConfig(AppConfig):
    name = "throttling"
    verbose_name = "Throttling"

    def ready(self):
        from axes.models import AccessAttempt
        from axes.signals import user_locked_out
        from django.db.models.signals import post_delete

        from throttling import lockout

        user_locked_out.connect(lockout.note_lock, dispatch_uid="throttling.note_lock")
        post_delete.connect(lockout.forget_lock, sender=AccessAttempt, dispatch_uid="throttling.forget_lock")
