"""Articles from outside: one module per source and step.

items.py   what every reader returns (NewsItem, ItemError) and the date parsers
ninjs.py   reads and writes ninjs (IPTC news items in JSON, 1.x and 2.x)
html.py    reads a saved web page, and flattens any HTML to sanitized plain text
text.py    cleans a page's copied text (the `import_article` command)
upsert.py  writes one news item as an article: created, or the earlier import updated
files.py   imports files and uploads, one transaction a file, with their summary
admin.py   the admin's upload page
"""
