using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "portalauth");

            migrationBuilder.CreateTable(
                name: "clients",
                schema: "portalauth",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    first_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    last_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    mobile = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_clients", x => new { x.tenant_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "code_sends",
                schema: "portalauth",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    mobile = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_code_sends", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "dev_sms",
                schema: "portalauth",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    to = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    body = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dev_sms", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "portalauth",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    dispatched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "password_failures",
                schema: "portalauth",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    login = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_password_failures", x => new { x.tenant_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "processed_events",
                schema: "portalauth",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_processed_events", x => new { x.tenant_id, x.event_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "sign_in_attempts",
                schema: "portalauth",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    mobile = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    code_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    code_sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    code_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    wrong_codes = table.Column<int>(type: "integer", nullable: false),
                    verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    consumed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sign_in_attempts", x => new { x.tenant_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "password_reset_tokens",
                schema: "portalauth",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_password_reset_tokens", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_password_reset_tokens_clients_tenant_id_client_id",
                        columns: x => new { x.tenant_id, x.client_id },
                        principalSchema: "portalauth",
                        principalTable: "clients",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pets",
                schema: "portalauth",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    species = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    breed = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pets", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_pets_clients_tenant_id_client_id",
                        columns: x => new { x.tenant_id, x.client_id },
                        principalSchema: "portalauth",
                        principalTable: "clients",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_clients_tenant_id_email",
                schema: "portalauth",
                table: "clients",
                columns: new[] { "tenant_id", "email" },
                unique: true,
                filter: "email IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_clients_tenant_id_mobile",
                schema: "portalauth",
                table: "clients",
                columns: new[] { "tenant_id", "mobile" },
                unique: true,
                filter: "mobile IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_code_sends_ip_at",
                schema: "portalauth",
                table: "code_sends",
                columns: new[] { "ip", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_code_sends_tenant_id_at",
                schema: "portalauth",
                table: "code_sends",
                columns: new[] { "tenant_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_code_sends_tenant_id_mobile_at",
                schema: "portalauth",
                table: "code_sends",
                columns: new[] { "tenant_id", "mobile", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_dev_sms_to_sent_at",
                schema: "portalauth",
                table: "dev_sms",
                columns: new[] { "to", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_pending",
                schema: "portalauth",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "dispatched_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_password_failures_tenant_id_login_at",
                schema: "portalauth",
                table: "password_failures",
                columns: new[] { "tenant_id", "login", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_password_reset_tokens_tenant_id_client_id",
                schema: "portalauth",
                table: "password_reset_tokens",
                columns: new[] { "tenant_id", "client_id" });

            migrationBuilder.CreateIndex(
                name: "ix_password_reset_tokens_tenant_id_token_hash",
                schema: "portalauth",
                table: "password_reset_tokens",
                columns: new[] { "tenant_id", "token_hash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_pets_tenant_id_client_id",
                schema: "portalauth",
                table: "pets",
                columns: new[] { "tenant_id", "client_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "code_sends",
                schema: "portalauth");

            migrationBuilder.DropTable(
                name: "dev_sms",
                schema: "portalauth");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "portalauth");

            migrationBuilder.DropTable(
                name: "password_failures",
                schema: "portalauth");

            migrationBuilder.DropTable(
                name: "password_reset_tokens",
                schema: "portalauth");

            migrationBuilder.DropTable(
                name: "pets",
                schema: "portalauth");

            migrationBuilder.DropTable(
                name: "processed_events",
                schema: "portalauth");

            migrationBuilder.DropTable(
                name: "sign_in_attempts",
                schema: "portalauth");

            migrationBuilder.DropTable(
                name: "clients",
                schema: "portalauth");
        }
    }
}
