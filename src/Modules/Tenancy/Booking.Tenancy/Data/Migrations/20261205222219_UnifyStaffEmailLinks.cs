using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <summary>
    /// One mechanism for staff email links (decision 236): the links of changes of a sign-in email (decision 232), kept
    /// until now in `staff_password_reset_tokens` with `sent_to` the new address, move to `staff_email_confirmations`
    /// beside the links that prove a sign-in email (decision 233). The open ones move as they are (hash, expiry,
    /// `sent_to`), so a change waiting for its link still works; the redeem finds them by the hash they were made with
    /// until they expire (a day). The spent ones are deleted (the sweep would have). `called_off_at` marks the link of a
    /// change that was called off. Down deletes the changes waiting (older code would not look for them here).
    /// </summary>
    public partial class UnifyStaffEmailLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "called_off_at",
                schema: "tenancy",
                table: "staff_email_confirmations",
                type: "timestamp with time zone",
                nullable: true);

            // The owner role runs migrations bound by the tenant policy (FORCE, applied after each module's migrations):
            // without lifting it, the statements below would see no row of a database already in use.
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_password_reset_tokens NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_email_confirmations NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_members NO FORCE ROW LEVEL SECURITY;");
            // A reset link is always sent to the person's email of the moment, and a change of the email ends every other
            // link, so an open row whose sent_to is not the person's email is a change waiting for its link.
            migrationBuilder.Sql("""
                INSERT INTO tenancy.staff_email_confirmations (tenant_id, id, staff_id, token_hash, created_at, expires_at, used_at, sent_to)
                SELECT t.tenant_id, t.id, t.staff_id, t.token_hash, t.created_at, t.expires_at, NULL, t.sent_to
                  FROM tenancy.staff_password_reset_tokens AS t
                  JOIN tenancy.staff_members AS p ON p.tenant_id = t.tenant_id AND p.id = t.staff_id
                 WHERE t.used_at IS NULL AND t.expires_at > now() AND t.sent_to IS NOT NULL AND t.sent_to <> p.email;

                DELETE FROM tenancy.staff_password_reset_tokens AS t
                 USING tenancy.staff_members AS p
                 WHERE p.tenant_id = t.tenant_id AND p.id = t.staff_id AND t.sent_to IS NOT NULL AND t.sent_to <> p.email;
                """);
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_password_reset_tokens FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_email_confirmations FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_members FORCE ROW LEVEL SECURITY;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_password_reset_tokens NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_email_confirmations NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_members NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("""
                DELETE FROM tenancy.staff_email_confirmations AS t
                 USING tenancy.staff_members AS p
                 WHERE p.tenant_id = t.tenant_id AND p.id = t.staff_id AND t.sent_to IS NOT NULL AND t.sent_to <> p.email;
                """);
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_password_reset_tokens FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_email_confirmations FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE tenancy.staff_members FORCE ROW LEVEL SECURITY;");

            migrationBuilder.DropColumn(
                name: "called_off_at",
                schema: "tenancy",
                table: "staff_email_confirmations");
        }
    }
}
