"""Admin pages for articles and candidates, for looking things up; reviewing happens in the review queue."""
from django.contrib import admin

from silkbridge.news.models import Article, Candidate


class CandidateInline(admin.TabularInline):
    model = Candidate
    fields = ("kind", "status", "start", "end", "confidence", "organisation", "person", "city", "record_kind", "record_id")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "published", "language", "url", "ingested_at")
    list_filter = ("language",)
    search_fields = ("title", "url", "text")
    readonly_fields = ("text_hash", "ingested_at")
    inlines = [CandidateInline]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "status", "confidence", "article")
    list_filter = ("kind", "status")
    search_fields = ("sentence",)
    raw_id_fields = ("article", "organisation", "person", "city", "reviewed_by")
    readonly_fields = ("record_kind", "record_id", "reviewed_at")
