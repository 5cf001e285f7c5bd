using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <summary>
    /// Links that confirm a staff member's sign-in email (`staff_email_confirmations`): emailed to a new business's
    /// owner at sign-up and sent again on request. The reset links' shape: only the token's SHA-256, an expiry, `used_at`
    /// (single use), `sent_to` (works only while that is the person's sign-in email); removed with the person. No rows
    /// for existing staff: they can send themselves one from Setup or Requests.
    /// </summary>
    [DbContext(typeof(TenancyDbContext))]
    [Migration("20261205120000_StaffEmailConfirmations")]
    public partial class StaffEmailConfirmations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "staff_email_confirmations",
                schema: "tenancy",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    staff_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sent_to = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_email_confirmations", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_staff_email_confirmations_staff_members_tenant_id_staff_id",
                        columns: x => new { x.tenant_id, x.staff_id },
                        principalSchema: "tenancy",
                        principalTable: "staff_members",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_staff_email_confirmations_tenant_id_staff_id_created_at",
                schema: "tenancy",
                table: "staff_email_confirmations",
                columns: new[] { "tenant_id", "staff_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_staff_email_confirmations_tenant_id_token_hash",
                schema: "tenancy",
                table: "staff_email_confirmations",
                columns: new[] { "tenant_id", "token_hash" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "staff_email_confirmations",
                schema: "tenancy");
        }
    }
}
