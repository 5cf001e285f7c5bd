using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <summary>
    /// Extra addresses are mailed only once their person confirms them (<c>address_confirmations</c>). The addresses
    /// businesses had already saved count as confirmed: they were getting these emails, and turning them off without a
    /// word would silently stop live businesses' booking emails (a confirmation email to each would reach people who
    /// never asked for one from us either). Forced row-level security hides every tenant's settings from the owner that
    /// migrates, so that table is unforced for the read and forced again in the migration's transaction.
    /// </summary>
    public partial class ExtraAddressConfirmations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "address_confirmations",
                schema: "notifications",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    address = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    declined_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    token_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    token_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_address_confirmations", x => new { x.tenant_id, x.address });
                });

            migrationBuilder.CreateIndex(
                name: "ix_address_confirmations_tenant_id_token_hash",
                schema: "notifications",
                table: "address_confirmations",
                columns: new[] { "tenant_id", "token_hash" },
                unique: true);

            migrationBuilder.Sql("""
                ALTER TABLE notifications.notification_settings NO FORCE ROW LEVEL SECURITY;
                INSERT INTO notifications.address_confirmations (tenant_id, address, added_at, confirmed_at)
                SELECT DISTINCT s.tenant_id, lower(btrim(a)), now(), now()
                  FROM notifications.notification_settings s, unnest(s.extra_addresses) AS a
                 WHERE btrim(a) <> '' AND length(btrim(a)) <= 254
                ON CONFLICT DO NOTHING;
                ALTER TABLE notifications.notification_settings FORCE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "address_confirmations",
                schema: "notifications");
        }
    }
}
