from django.urls import path

from .views import forum, moderation, notifications

app_name = "community"

urlpatterns = [
    path("", forum.forum_index, name="forum-index"),
    path("<int:forum_id>/", forum.forum_detail, name="forum-detail"),
    path("<int:forum_id>/search/", forum.forum_search, name="forum-search"),
    path("<int:forum_id>/c/<slug:category>/", forum.category_detail, name="category-detail"),
    path("<int:forum_id>/c/<slug:category>/new/", forum.topic_create, name="topic-create"),
    path("topics/<int:topic_id>/", forum.topic_detail, name="topic-detail"),
    path("topics/<int:topic_id>/reply/", forum.reply_create, name="reply-create"),
    path("topics/<int:topic_id>/lock/", moderation.topic_lock, name="topic-lock"),
    path("posts/<int:post_id>/", forum.post_detail, name="post-detail"),
    path("posts/<int:post_id>/report/", forum.post_report, name="post-report"),
    path("posts/<int:post_id>/approve/", moderation.post_approve, name="post-approve"),
    path("posts/<int:post_id>/hide/", moderation.post_hide, name="post-hide"),
    path("posts/<int:post_id>/edit/", moderation.post_edit, name="post-edit"),
    path("members/<int:member_id>/suspend/", moderation.member_suspend, name="member-suspend"),
    path("members/<int:member_id>/lift/", moderation.member_lift, name="member-lift"),
    path("moderation/", moderation.moderation_index, name="moderation-index"),
    path("<int:forum_id>/moderation/", moderation.queue_list, name="queue-list"),
    path("<int:forum_id>/moderation/log/", moderation.log_list, name="log-list"),
    path("notifications/", notifications.notification_list, name="notification-list"),
    path("notifications/read/", notifications.notification_read_all, name="notification-read-all"),
    path("notifications/<int:notification_id>/", notifications.notification_open, name="notification-open"),
]
