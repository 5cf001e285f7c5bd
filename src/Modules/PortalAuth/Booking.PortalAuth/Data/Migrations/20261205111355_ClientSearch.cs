using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// Staff search finds clients whatever the accents ("Zoe" finds "Zoë", "muller" finds "Müller", and the other way
    /// round). Creates the <c>unaccent</c> extension (a trusted extension since PostgreSQL 13: the database's owner, who
    /// migrates, may create it; docs/operations.md) where none is installed, and <c>portalauth.f_unaccent(text)</c>, an
    /// IMMUTABLE wrapper of <c>unaccent(regdictionary, text)</c> (itself only STABLE, as its dictionary could change)
    /// naming the function and dictionary with their schema, so neither a search_path nor a restore from a dump changes
    /// what it calls. A generated column needs an immutable expression: <c>search_text</c> (stored) holds the names both
    /// ways round and the email, one per line, unaccented and in lower case. No index serves a substring search under
    /// forced row-level security (an index condition must be leakproof, and LIKE and unaccent are not), so the search
    /// reads one business's clients in list order through <c>ix_clients_tenant_id_last_name_first_name_id</c> and tests
    /// the stored column, which costs a string search per row rather than three unaccent calls.
    /// </summary>
    public partial class ClientSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The wrapper names the schema unaccent is in: public when this migration creates it, wherever an operator
            // put it otherwise.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
                DO $$
                DECLARE
                    ext text := (SELECT n.nspname FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace
                                  WHERE e.extname = 'unaccent');
                BEGIN
                    EXECUTE format(
                        'CREATE OR REPLACE FUNCTION portalauth.f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS %L',
                        format('SELECT %I.unaccent(%L::regdictionary, $1)', ext, quote_ident(ext) || '.unaccent'));
                END
                $$;
                """);

            migrationBuilder.AddColumn<string>(
                name: "search_text",
                schema: "portalauth",
                table: "clients",
                type: "text",
                nullable: true,
                computedColumnSql: "lower(portalauth.f_unaccent(first_name || ' ' || last_name || E'\\n' || last_name || ' ' || first_name || E'\\n' || coalesce(email, '')))",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_clients_tenant_id_last_name_first_name_id",
                schema: "portalauth",
                table: "clients",
                columns: new[] { "tenant_id", "last_name", "first_name", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_clients_tenant_id_last_name_first_name_id",
                schema: "portalauth",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "search_text",
                schema: "portalauth",
                table: "clients");

            // The extension stays: it may have been there before, and other schemas may use it.
            migrationBuilder.Sql("DROP FUNCTION portalauth.f_unaccent(text);");
        }
    }
}
