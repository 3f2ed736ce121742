"""The only place with SQL: connections, migrations, repositories, changes, audit."""
