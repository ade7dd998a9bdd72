"""Print the citation registry as a Markdown table (used to refresh docs/clinical-sources.md)."""

from naltrack.clinical.sources import SOURCES

print("| key | source |\n| --- | --- |")
for source in SOURCES.values():
    link = f" <{source.url.split(' ;')[0]}>" if source.url.startswith("http") else ""
    print(f"| `{source.key}` | {source.title}{link} |")
