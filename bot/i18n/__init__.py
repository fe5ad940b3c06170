"""UI strings and language facts: gettext catalogs in locales/ (babel), CLDR for names, plurals and direction."""
