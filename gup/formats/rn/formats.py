"""Date and number formats for Kirundi, which Django does not ship.

Dates day first with the Kirundi month names (``25 Munyonyo 2026``; the names are translated in
locale/rn, kept by locale/rn/django-builtin.po). Amounts grouped with a no-break space as
Burundi writes them, like French (``235 000 BIF``), rather than CLDR's ``rn`` dot.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
