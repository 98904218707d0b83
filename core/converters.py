"""Path converters the apps' URLconfs share."""

# The largest id a PostgreSQL bigint (Django's BigAutoField) holds.
MAX_ID = 2**63 - 1


class IdConverter:
    """A record id in a path: 1 to 19 ASCII digits, at most MAX_ID. A larger number names
    no record, so the URL does not match (a 404) and never reaches the database; Django's
    `int` converter takes any length."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"{value} is not an id")
        return number

    def to_url(self, value):
        return str(value)
