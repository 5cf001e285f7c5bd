using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Roster.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "roster");

            migrationBuilder.CreateTable(
                name: "booking_rules",
                schema: "roster",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    slot_interval_minutes = table.Column<int>(type: "integer", nullable: false),
                    minimum_notice_minutes = table.Column<int>(type: "integer", nullable: false),
                    horizon_days = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_booking_rules", x => x.tenant_id);
                });

            migrationBuilder.CreateTable(
                name: "diaries",
                schema: "roster",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    contact_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_diaries", x => new { x.tenant_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "roster",
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
                name: "processed_events",
                schema: "roster",
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
                name: "roster_blocks",
                schema: "roster",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    diary_id = table.Column<Guid>(type: "uuid", nullable: false),
                    weekday = table.Column<int>(type: "integer", nullable: false),
                    start = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    end = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    bookable_online = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_roster_blocks", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_roster_blocks_diaries_tenant_id_diary_id",
                        columns: x => new { x.tenant_id, x.diary_id },
                        principalSchema: "roster",
                        principalTable: "diaries",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "roster_exceptions",
                schema: "roster",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    diary_id = table.Column<Guid>(type: "uuid", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    closed = table.Column<bool>(type: "boolean", nullable: false),
                    blocks = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_roster_exceptions", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_roster_exceptions_diaries_tenant_id_diary_id",
                        columns: x => new { x.tenant_id, x.diary_id },
                        principalSchema: "roster",
                        principalTable: "diaries",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_pending",
                schema: "roster",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "dispatched_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_roster_blocks_tenant_id_diary_id_weekday",
                schema: "roster",
                table: "roster_blocks",
                columns: new[] { "tenant_id", "diary_id", "weekday" });

            migrationBuilder.CreateIndex(
                name: "ix_roster_exceptions_tenant_id_diary_id_date",
                schema: "roster",
                table: "roster_exceptions",
                columns: new[] { "tenant_id", "diary_id", "date" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "booking_rules",
                schema: "roster");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "roster");

            migrationBuilder.DropTable(
                name: "processed_events",
                schema: "roster");

            migrationBuilder.DropTable(
                name: "roster_blocks",
                schema: "roster");

            migrationBuilder.DropTable(
                name: "roster_exceptions",
                schema: "roster");

            migrationBuilder.DropTable(
                name: "diaries",
                schema: "roster");
        }
    }
}
