"""MkDocs hooks: hand the generator's pages and files to MkDocs. No logic lives here.
An error staff can fix (``StaffError``) becomes MkDocs' ``PluginError``: a sentence, no traceback."""
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from generator.errors import StaffError
from generator.site.build import finish, prepare
from generator.site.published_docs import refuse_links_outside_docs
from generator.site.search_entries import reuse_entries
from generator.site.search_text import spaced_blocks
from generator.site.template_cache import bytecode_cache
from generator.site.publishing import site_url

_prepared = None


def on_config(config):
    global _prepared
    try:
        _prepared = prepare()
    except StaffError as error:
        raise PluginError(str(error)) from None
    config["site_name"] = _prepared.content.site_name
    config["copyright"] = _prepared.content.footer
    config["extra"]["footer_links"] = _prepared.content.footer_links  # docs/overrides/partials/copyright.html
    config["extra"]["footer_contact"] = _prepared.content.footer_contact  # the same partial
    config["site_url"] = site_url(_prepared.catalogue.organisation)  # None: no canonical, empty sitemap
    search = config["plugins"].get("material/search")   # its on_config has run: its index exists
    if search is not None:
        reuse_entries(getattr(search, "search_index", None))   # an unchanged page's entries are not parsed again
    return config


def on_env(env, config, files):
    env.bytecode_cache = bytecode_cache()   # the theme's templates compiled once, not at every build
    return env


def on_files(files, config):
    copied = [f.abs_src_path for f in files if f.abs_src_path and not f.generated_by and not f.inclusion.is_excluded()]
    try:
        refuse_links_outside_docs(copied, config["docs_dir"])
    except StaffError as error:
        raise PluginError(str(error)) from None
    for path, text in _prepared.content.pages.items():
        files.append(File.generated(config, path, content=text))
    return files


# A generated page is one block of HTML (generator/site/pages.py): Markdown would hand it back
# unchanged, at a third of the build's time. Its HTML skips Markdown and comes back as the content.
_html_of_page = {}


def on_page_markdown(markdown, page, **kwargs):
    if page.file.src_uri in _prepared.content.pages:
        _html_of_page[page.file.src_uri] = markdown.strip("\n")
        return ""
    return markdown


def on_page_content(html, page, **kwargs):
    html = _html_of_page.pop(page.file.src_uri, html)
    return spaced_blocks(html)  # before the search index reads the page


def on_post_build(config):
    try:
        finish(_prepared, config["site_dir"])
    except StaffError as error:
        raise PluginError(str(error)) from None
