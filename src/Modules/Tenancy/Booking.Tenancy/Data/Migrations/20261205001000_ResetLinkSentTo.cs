using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <summary>
    /// A reset link records the address it was emailed to (`sent_to`); redeeming it checks, under a lock on the
    /// staff member's row, that this is still their sign-in email. Links not yet used are given the staff member's email now (what
    /// they were sent to, unless a change raced them: the case this closes), so links in flight keep working.
    /// </summary>
    [DbContext(typeof(TenancyDbContext))]
    [Migration("20261205001000_ResetLinkSentTo")]
    public partial class ResetLinkSentTo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "sent_to",
                schema: "tenancy",
                table: "staff_password_reset_tokens",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE tenancy.staff_password_reset_tokens AS t SET sent_to = p.email
                  FROM tenancy.staff_members AS p
                 WHERE p.tenant_id = t.tenant_id AND p.id = t.staff_id AND t.used_at IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "sent_to",
                schema: "tenancy",
                table: "staff_password_reset_tokens");
        }
    }
}
