"""Reference data at the size of a pilot, a region or a country (`gilde generate`).

Synthetic networks, organisations, people, competencies, ratings, catalogue items, enrolments
and learning records, built through the services the application itself uses, so the data
obeys every rule real data does. The same scale and seed always give the same data.
"""

# Every generated account has this password, so that load tests can log in. Generated data is
# synthetic and belongs in a database of its own, never next to real people.
PASSWORD = "gilde-generated-data"  # noqa: S105 - documented, for synthetic data only
