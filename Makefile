.PHONY: run test lint fmt

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
