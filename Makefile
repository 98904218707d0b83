.PHONY: run test lint fmt bench

run:
	python3 dev.py serve

test:
	python3 dev.py test

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/python manage.py makemigrations --check --dry-run

fmt:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

# The peer benchmarks (benchmarks/run.py): Datasette from requirements-bench.lock, then one
# table of ratios with their goals. A few minutes; needs PostgreSQL on 127.0.0.1:5432.
bench:
	.venv/bin/pip install -q --require-hashes -r requirements-bench.lock
	.venv/bin/python benchmarks/run.py
