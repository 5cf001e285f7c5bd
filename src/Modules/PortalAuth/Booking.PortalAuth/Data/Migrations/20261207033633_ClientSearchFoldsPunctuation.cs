using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// Staff search folds names as the duplicate hint does (decision 304's rule, now <c>PortalAuthDbContext.FoldSql</c>):
    /// each line of <c>search_text</c> (the names both ways round, the email) is unaccented, in lower case and without
    /// spacing and punctuation (apostrophes, backticks, acute accents, dots, hyphens, dashes), so "obrien" finds O'Brien and
    /// "mary jane" finds Mary-Jane, and the hint compares the stored lines instead of a regexp per row. PostgreSQL before 17
    /// cannot change a generated column's expression, so the column is dropped and added again (no index uses it); adding
    /// it works it out for every client, once, in the migration's table rewrite.
    /// </summary>
    public partial class ClientSearchFoldsPunctuation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "search_text",
                schema: "portalauth",
                table: "clients");

            migrationBuilder.AddColumn<string>(
                name: "search_text",
                schema: "portalauth",
                table: "clients",
                type: "text",
                nullable: true,
                computedColumnSql: "regexp_replace(lower(portalauth.f_unaccent(first_name || ' ' || last_name)), '[\\s''’‘`´.\\-‐‑–—]+', '', 'g') || E'\\n' || regexp_replace(lower(portalauth.f_unaccent(last_name || ' ' || first_name)), '[\\s''’‘`´.\\-‐‑–—]+', '', 'g') || E'\\n' || regexp_replace(lower(portalauth.f_unaccent(coalesce(email, ''))), '[\\s''’‘`´.\\-‐‑–—]+', '', 'g')",
                stored: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "search_text",
                schema: "portalauth",
                table: "clients");

            migrationBuilder.AddColumn<string>(
                name: "search_text",
                schema: "portalauth",
                table: "clients",
                type: "text",
                nullable: true,
                computedColumnSql: "lower(portalauth.f_unaccent(first_name || ' ' || last_name || E'\\n' || last_name || ' ' || first_name || E'\\n' || coalesce(email, '')))",
                stored: true);
        }
    }
}
