using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// A reset link records the address it was emailed to (`sent_to`); redeeming it checks, under a lock on the
    /// client's row, that this is still their sign-in email. Links not yet used are given the client's email now (what
    /// they were sent to, unless a change raced them: the case this closes), so links in flight keep working.
    /// </summary>
    [DbContext(typeof(PortalAuthDbContext))]
    [Migration("20261205001000_ResetLinkSentTo")]
    public partial class ResetLinkSentTo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "sent_to",
                schema: "portalauth",
                table: "password_reset_tokens",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE portalauth.password_reset_tokens AS t SET sent_to = p.email
                  FROM portalauth.clients AS p
                 WHERE p.tenant_id = t.tenant_id AND p.id = t.client_id AND t.used_at IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "sent_to",
                schema: "portalauth",
                table: "password_reset_tokens");
        }
    }
}
