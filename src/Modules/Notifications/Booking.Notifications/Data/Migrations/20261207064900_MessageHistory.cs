using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <summary>
    /// Decision 336: a message's delivery history that a resend or a late success does not erase (failures, first and last
    /// failure times, the latest failure's error, who resent it and when). Rows that already failed or are retrying get
    /// their count and error from attempts and last_error (their times are not known, except a failed row's end).
    /// </summary>
    public partial class MessageHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "failures",
                schema: "notifications",
                table: "outbound_messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_failed_at",
                schema: "notifications",
                table: "outbound_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_failed_at",
                schema: "notifications",
                table: "outbound_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_failure",
                schema: "notifications",
                table: "outbound_messages",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "resent_at",
                schema: "notifications",
                table: "outbound_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "resent_by",
                schema: "notifications",
                table: "outbound_messages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            // A tenant table under forced row-level security: the backfill runs with it lifted, then forced again.
            migrationBuilder.Sql("""
                ALTER TABLE notifications.outbound_messages NO FORCE ROW LEVEL SECURITY;
                UPDATE notifications.outbound_messages
                   SET failures = attempts, last_failure = last_error,
                       last_failed_at = CASE WHEN status = 'failed' THEN next_attempt_at END
                 WHERE status IN ('failed', 'retrying') AND last_error IS NOT NULL;
                ALTER TABLE notifications.outbound_messages FORCE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "failures", schema: "notifications", table: "outbound_messages");
            migrationBuilder.DropColumn(name: "first_failed_at", schema: "notifications", table: "outbound_messages");
            migrationBuilder.DropColumn(name: "last_failed_at", schema: "notifications", table: "outbound_messages");
            migrationBuilder.DropColumn(name: "last_failure", schema: "notifications", table: "outbound_messages");
            migrationBuilder.DropColumn(name: "resent_at", schema: "notifications", table: "outbound_messages");
            migrationBuilder.DropColumn(name: "resent_by", schema: "notifications", table: "outbound_messages");
        }
    }
}
