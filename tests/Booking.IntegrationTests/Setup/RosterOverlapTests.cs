using System.Net;
using System.Net.Http.Json;
using Booking.BuildingBlocks.Data;
using Booking.IntegrationTests.Infrastructure;
using Booking.Roster.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// The database itself refuses two blocks of one diary and weekday that overlap (ex_roster_blocks_no_overlap): rows
/// written past the API are refused, touching blocks are not, and the roster PUT still replaces a week whose new blocks
/// overlap its old ones. A refusal that reaches a PUT answers 409 changed-meanwhile and saves nothing.
/// </summary>
public sealed class RosterOverlapTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const int Monday = (int)DayOfWeek.Monday;

    private const string Insert = """
        INSERT INTO roster.roster_blocks (tenant_id, id, diary_id, weekday, start, "end", bookable_online)
        VALUES (@t, gen_random_uuid(), @d, @w, @s::time, @e::time, true)
        """;

    private string Database => shared.App.Database.Database;

    [Fact]
    public async Task An_overlapping_block_written_straight_into_the_table_is_refused_by_the_database()
    {
        var biz = await shared.App.SignUpBusinessAsync("overlap");
        var diary = await biz.CreateDiaryAsync();
        await biz.PutRosterAsync(diary, SetupApi.Block("monday", "09:00", "12:00"));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(biz.Id, diary, Monday, "11:59", "13:00"));

        Assert.Equal(PostgresErrorCodes.ExclusionViolation, refused.SqlState);
        Assert.Equal(RosterDbContext.NoOverlapConstraint, refused.ConstraintName);
        // A block inside another, and one covering it, are overlaps too.
        Assert.Equal(PostgresErrorCodes.ExclusionViolation, (await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(biz.Id, diary, Monday, "10:00", "11:00"))).SqlState);
        Assert.Equal(PostgresErrorCodes.ExclusionViolation, (await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(biz.Id, diary, Monday, "00:00", "24:00"))).SqlState);
        Assert.Equal(1L, await CountAsync(diary));
    }

    [Fact]
    public async Task Touching_blocks_an_end_at_24_00_and_the_same_hours_on_another_day_diary_or_business_are_accepted()
    {
        var biz = await shared.App.SignUpBusinessAsync("overlap");
        var diary = await biz.CreateDiaryAsync();
        var otherDiary = await biz.CreateDiaryAsync("Dr Other");
        var otherBiz = await shared.App.SignUpBusinessAsync("overlap");
        var otherBizDiary = await otherBiz.CreateDiaryAsync();
        await biz.PutRosterAsync(diary, SetupApi.Block("monday", "09:00", "12:00"));

        await InsertAsync(biz.Id, diary, Monday, "12:00", "17:00");
        await InsertAsync(biz.Id, diary, Monday, "17:00", "24:00");
        await InsertAsync(biz.Id, diary, Monday, "00:00", "09:00");
        await InsertAsync(biz.Id, diary, (int)DayOfWeek.Tuesday, "09:00", "12:00");
        await InsertAsync(biz.Id, otherDiary, Monday, "09:00", "12:00");
        await InsertAsync(otherBiz.Id, otherBizDiary, Monday, "09:00", "12:00");

        Assert.Equal(5L, await CountAsync(diary));
        var roster = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{diary}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(
            ["monday 00:00-09:00", "monday 09:00-12:00", "monday 12:00-17:00", "monday 17:00-24:00", "tuesday 09:00-12:00"],
            roster.GetProperty("blocks").EnumerateArray().Select(b => $"{b.GetProperty("weekday")} {b.GetProperty("start")}-{b.GetProperty("end")}"));
    }

    [Fact]
    public async Task A_put_that_shifts_every_block_of_the_week_onto_the_old_ones_saves()
    {
        var biz = await shared.App.SignUpBusinessAsync("overlap");
        var diary = await biz.CreateDiaryAsync();
        string[] days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        await biz.PutRosterAsync(diary, [.. days.SelectMany(d => new[] { SetupApi.Block(d, "09:00", "12:00"), SetupApi.Block(d, "12:00", "17:00"), SetupApi.Block(d, "18:00", "24:00") })]);

        // Every new block overlaps an old one of its day; the old ones go in the same save.
        await biz.PutRosterAsync(diary, [.. days.SelectMany(d => new[] { SetupApi.Block(d, "08:00", "13:00"), SetupApi.Block(d, "13:00", "19:00"), SetupApi.Block(d, "19:00", "24:00") })]);

        var roster = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{diary}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(
            [.. days.SelectMany(d => new[] { $"{d} 08:00-13:00", $"{d} 13:00-19:00", $"{d} 19:00-24:00" })],
            roster.GetProperty("blocks").EnumerateArray().Select(b => $"{b.GetProperty("weekday")} {b.GetProperty("start")}-{b.GetProperty("end")}").ToArray());
        Assert.Equal(21L, await CountAsync(diary));
    }

    [Fact]
    public async Task The_constraint_judges_a_transaction_at_its_commit_so_the_order_of_its_statements_does_not_matter()
    {
        var biz = await shared.App.SignUpBusinessAsync("overlap");
        var diary = await biz.CreateDiaryAsync();
        await biz.PutRosterAsync(diary, SetupApi.Block("monday", "09:00", "12:00"));

        // The new block first, the old one removed after: an immediate constraint would refuse the insert.
        await using (var tx = await HeldTransaction.BeginAsync(Database))
        {
            await tx.ExecAsync(Insert, ("t", biz.Id), ("d", diary), ("w", Monday), ("s", "10:00"), ("e", "14:00"));
            await tx.ExecAsync("DELETE FROM roster.roster_blocks WHERE diary_id = @d AND start = '09:00'", ("d", diary));
            await tx.CommitAsync();
        }

        var roster = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{diary}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var block = Assert.Single(roster.GetProperty("blocks").EnumerateArray());
        Assert.Equal("10:00-14:00", $"{block.GetProperty("start")}-{block.GetProperty("end")}");
    }

    [Fact]
    public async Task A_put_that_meets_an_overlapping_block_written_meanwhile_answers_409_changed_meanwhile_and_saves_nothing()
    {
        var biz = await shared.App.SignUpBusinessAsync("overlap");
        var diary = await biz.CreateDiaryAsync();
        await biz.PutRosterAsync(diary, SetupApi.Block("monday", "09:00", "12:00"), SetupApi.Block("friday", "09:00", "12:00"));

        // Other code writes a block without the diary's lock. (An ordinary insert cannot: its foreign key takes a share
        // lock on the diary's row, so the PUT would wait for it, then read and replace it. Replica mode skips that
        // check's trigger, as a restore or replication would.) The PUT reads the week without that uncommitted block,
        // saves, and at its commit the constraint waits for the block's transaction: it commits, the PUT is refused.
        HttpResponseMessage answer;
        await using (var held = await HeldTransaction.BeginAsync(Database))
        {
            await held.ExecAsync("SET LOCAL session_replication_role = replica");
            await held.ExecAsync(Insert, ("t", biz.Id), ("d", diary), ("w", Monday), ("s", "13:00"), ("e", "14:00"));
            var put = biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/roster", new { blocks = new[] { SetupApi.Block("monday", "12:00", "18:00") } });
            await held.WaitForBlockedAsync(1);
            await held.CommitAsync();
            answer = await put;
        }

        var problem = await answer.JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("changed-meanwhile", problem.Kind());
        Assert.Contains("Look at the roster again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var roster = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{diary}/roster", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(
            ["monday 09:00-12:00", "monday 13:00-14:00", "friday 09:00-12:00"],
            roster.GetProperty("blocks").EnumerateArray().Select(b => $"{b.GetProperty("weekday")} {b.GetProperty("start")}-{b.GetProperty("end")}"));

        // Sent again, it replaces what is there now, the block written meanwhile included.
        await biz.PutRosterAsync(diary, SetupApi.Block("monday", "12:00", "18:00"));
        Assert.Equal(1L, await CountAsync(diary));
    }

    [Fact]
    public async Task The_migration_stops_with_a_message_naming_overlapping_blocks_already_saved_and_keeps_touching_ones()
    {
        var tenant = Guid.NewGuid();
        var (clean, cleanDiary) = await RosterBeforeTheConstraintAsync("roster_touching", tenant);
        await Sql.AdminExecAsync(clean.Database, Insert, ("t", tenant), ("d", cleanDiary), ("w", Monday), ("s", "09:00"), ("e", "12:00"));
        await Sql.AdminExecAsync(clean.Database, Insert, ("t", tenant), ("d", cleanDiary), ("w", Monday), ("s", "12:00"), ("e", "24:00"));
        var (dirty, dirtyDiary) = await RosterBeforeTheConstraintAsync("roster_overlapping", tenant);
        await Sql.AdminExecAsync(dirty.Database, Insert, ("t", tenant), ("d", dirtyDiary), ("w", Monday), ("s", "09:00"), ("e", "12:00"));
        await Sql.AdminExecAsync(dirty.Database, Insert, ("t", tenant), ("d", dirtyDiary), ("w", Monday), ("s", "11:00"), ("e", "13:00"));

        await MigrateAsync(clean.OwnerConnectionString);
        var failed = (await Assert.ThrowsAnyAsync<Exception>(() => MigrateAsync(dirty.OwnerConnectionString))).PostgresError();

        Assert.Equal(2L, await Sql.AdminScalarAsync<long>(clean.Database, "SELECT count(*) FROM roster.roster_blocks"));
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(clean.Database,
            "SELECT count(*) FROM pg_constraint WHERE conname = @n AND condeferrable AND condeferred", ("n", RosterDbContext.NoOverlapConstraint)));
        Assert.True(await Sql.AdminScalarAsync<bool>(clean.Database, "SELECT relforcerowsecurity FROM pg_class WHERE oid = 'roster.roster_blocks'::regclass"));
        Assert.NotNull(failed);
        Assert.Contains("1 pair(s) of overlapping roster blocks", failed.MessageText, StringComparison.Ordinal);
        Assert.Contains(dirtyDiary.ToString(), failed.MessageText, StringComparison.Ordinal);
        Assert.Contains("09:00:00-12:00:00 and 11:00:00-13:00:00", failed.MessageText, StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(dirty.Database,
            "SELECT count(*) FROM pg_constraint WHERE conname = @n", ("n", RosterDbContext.NoOverlapConstraint)));
        Assert.Equal(2L, await Sql.AdminScalarAsync<long>(dirty.Database, "SELECT count(*) FROM roster.roster_blocks"));
    }

    /// <summary>A fresh database with the roster schema as it was before the constraint, row security forced as the migrator leaves it, and one diary.</summary>
    private static async Task<(Booking.BuildingBlocks.Postgres.ProvisionedDatabase Database, Guid Diary)> RosterBeforeTheConstraintAsync(string purpose, Guid tenant)
    {
        var database = await TestDatabaseServer.CreateDatabaseAsync(purpose);
        await using (var db = ModuleDb.Create<RosterDbContext>(new ServiceCollection().BuildServiceProvider(), database.OwnerConnectionString))
        {
            await db.GetService<IMigrator>().MigrateAsync("RosterEndsAtMidnight");
        }

        var diary = Guid.NewGuid();
        await Sql.AdminExecAsync(database.Database, """
            ALTER TABLE roster.roster_blocks ENABLE ROW LEVEL SECURITY;
            ALTER TABLE roster.roster_blocks FORCE ROW LEVEL SECURITY;
            INSERT INTO roster.diaries (tenant_id, id, name, contact_email, active, created_at, updated_at)
            VALUES (@t, @d, 'Dr Before', 'before@test.example', true, now(), now());
            """, ("t", tenant), ("d", diary));
        return (database, diary);
    }

    private static async Task MigrateAsync(string ownerConnectionString)
    {
        await using var db = ModuleDb.Create<RosterDbContext>(new ServiceCollection().BuildServiceProvider(), ownerConnectionString);
        await db.Database.MigrateAsync();
    }

    private Task InsertAsync(Guid tenant, Guid diary, int weekday, string start, string end) =>
        Sql.AdminExecAsync(Database, Insert, ("t", tenant), ("d", diary), ("w", weekday), ("s", start), ("e", end));

    private async Task<long> CountAsync(Guid diary) =>
        await Sql.AdminScalarAsync<long>(Database, "SELECT count(*) FROM roster.roster_blocks WHERE diary_id = @d", ("d", diary));
}
