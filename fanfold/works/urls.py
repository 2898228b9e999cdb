from django.urls import path

from fanfold.works.views import posting, reading, series

app_name = "works"
urlpatterns = [
    path("works", reading.work_index, name="index"),
    path("works/new", posting.work_new, name="new"),
    path("works/<int:work_id>", reading.work_detail, name="detail"),
    path("works/<int:work_id>/navigate", reading.work_navigate, name="navigate"),
    path("works/<int:work_id>/chapters", reading.work_chapters_redirect),
    path("works/<int:work_id>/chapters/jump", reading.chapter_jump, name="chapter_jump"),
    path("works/<int:work_id>/chapters/<int:chapter_id>", reading.chapter_detail, name="chapter"),
    path("works/<int:work_id>/edit", posting.work_edit, name="edit"),
    path("works/<int:work_id>/post", posting.work_post_view, name="post"),
    path("works/<int:work_id>/delete", posting.work_delete_view, name="delete"),
    path("works/<int:work_id>/chapters/new", posting.chapter_new, name="chapter_new"),
    path("works/<int:work_id>/chapters/manage", posting.chapters_manage, name="chapters_manage"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/edit",
        posting.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/post",
        posting.chapter_post_view,
        name="chapter_post",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/delete",
        posting.chapter_delete_view,
        name="chapter_delete",
    ),
    path("drafts", posting.drafts, name="drafts"),
    path("creatorships", posting.invitations, name="invitations"),
    path(
        "creatorships/<int:creatorship_id>/<str:decision>",
        posting.invitation_answer,
        name="invitation_answer",
    ),
    path("users/<str:username>/works", reading.user_works, name="user_works"),
    path("users/<str:username>/pseuds/<str:pseud>/works", reading.pseud_works, name="pseud_works"),
    path("series", series.series_index, name="series_index"),
    path("series/<int:series_id>", series.series_detail, name="series"),
    path("series/<int:series_id>/edit", series.series_edit, name="series_edit"),
    path(
        "series/parts/<int:part_id>/approve", series.series_part_approve, name="series_part_approve"
    ),
    path("series/parts/<int:part_id>/remove", series.series_part_remove, name="series_part_remove"),
    path("works/<int:work_id>/feature", posting.work_feature_view, name="feature"),
]
