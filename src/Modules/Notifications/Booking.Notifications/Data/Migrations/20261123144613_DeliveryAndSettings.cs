using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryAndSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dev_mail",
                schema: "notifications",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_slug = table.Column<string>(type: "text", nullable: false),
                    to = table.Column<string>(type: "text", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    html = table.Column<string>(type: "text", nullable: false),
                    attachments = table.Column<string>(type: "jsonb", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dev_mail", x => new { x.tenant_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "notification_settings",
                schema: "notifications",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    notify_on_new_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    notify_on_new_template_id = table.Column<Guid>(type: "uuid", nullable: true),
                    notify_on_cancelled_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    notify_on_cancelled_template_id = table.Column<Guid>(type: "uuid", nullable: true),
                    extra_addresses = table.Column<List<string>>(type: "text[]", nullable: false),
                    extra_addresses_template_id = table.Column<Guid>(type: "uuid", nullable: true),
                    include_staff_changes = table.Column<bool>(type: "boolean", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notification_settings", x => x.tenant_id);
                });

            migrationBuilder.CreateTable(
                name: "outbound_messages",
                schema: "notifications",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipient = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    kind = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    content = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbound_messages", x => new { x.tenant_id, x.id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_dev_mail_to_sent_at",
                schema: "notifications",
                table: "dev_mail",
                columns: new[] { "to", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbound_messages_tenant_id_created_at",
                schema: "notifications",
                table: "outbound_messages",
                columns: new[] { "tenant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbound_messages_tenant_id_status_next_attempt_at",
                schema: "notifications",
                table: "outbound_messages",
                columns: new[] { "tenant_id", "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ux_outbound_messages_event_recipient_kind",
                schema: "notifications",
                table: "outbound_messages",
                columns: new[] { "tenant_id", "event_id", "recipient", "kind" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dev_mail",
                schema: "notifications");

            migrationBuilder.DropTable(
                name: "notification_settings",
                schema: "notifications");

            migrationBuilder.DropTable(
                name: "outbound_messages",
                schema: "notifications");
        }
    }
}
