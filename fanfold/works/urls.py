from django.urls import path

from fanfold.works.views import posting, reading, series

app_name = "works"
urlpatterns = [
    path("works", reading.work_index, name="index"),
    path("works/new", posting.work_new, name="new"),
    path("works/<id:work_id>", reading.work_detail, name="detail"),
    path("works/<id:work_id>/navigate", reading.work_navigate, name="navigate"),
    path("works/<id:work_id>/chapters", reading.work_chapters_redirect),
    path("works/<id:work_id>/chapters/jump", reading.chapter_jump, name="chapter_jump"),
    path("works/<id:work_id>/chapters/<id:chapter_id>", reading.chapter_detail, name="chapter"),
    path("works/<id:work_id>/edit", posting.work_edit, name="edit"),
    path("works/<id:work_id>/post", posting.work_post_view, name="post"),
    path("works/<id:work_id>/preview", posting.work_preview, name="preview"),
    path("works/<id:work_id>/delete", posting.work_delete_view, name="delete"),
    path("works/<id:work_id>/chapters/new", posting.chapter_new, name="chapter_new"),
    path("works/<id:work_id>/chapters/manage", posting.chapters_manage, name="chapters_manage"),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/edit",
        posting.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/post",
        posting.chapter_post_view,
        name="chapter_post",
    ),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/delete",
        posting.chapter_delete_view,
        name="chapter_delete",
    ),
    path("drafts", posting.drafts, name="drafts"),
    path("creatorships", posting.invitations, name="invitations"),
    path(
        "creatorships/<id:creatorship_id>/<str:decision>",
        posting.invitation_answer,
        name="invitation_answer",
    ),
    path("users/<str:username>/works", reading.user_works, name="user_works"),
    path("users/<str:username>/pseuds/<str:pseud>/works", reading.pseud_works, name="pseud_works"),
    path("series", series.series_index, name="series_index"),
    path("series/<id:series_id>", series.series_detail, name="series"),
    path("series/<id:series_id>/edit", series.series_edit, name="series_edit"),
    path(
        "series/parts/<id:part_id>/approve", series.series_part_approve, name="series_part_approve"
    ),
    path("series/parts/<id:part_id>/remove", series.series_part_remove, name="series_part_remove"),
    path("works/<id:work_id>/feature", posting.work_feature_view, name="feature"),
]
