using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// A business's one-row settings (booking rules, notification choices) do not exist until they are first saved.
/// Two first saves at the same moment (two tabs, two staff) both find no row and both insert one: the second
/// used to answer 500 on the primary key. Each test makes that certain: a transaction of its own inserts the row
/// (a copy of another business's) and holds it while both requests wait on it, then commits. Both must be saved,
/// over that row, and the last one to commit is what the business has.
/// </summary>
public sealed class FirstSaveRaceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Booking_rules_saved_for_the_first_time_twice_at_once()
    {
        static object Rules(int interval) => new { slotIntervalMinutes = interval, minimumNoticeMinutes = 0, horizonDays = 60 };
        var answers = await SaveTwiceAsync("roster.booking_rules", "/api/v1/admin/booking-rules", Rules(15), Rules(30), Rules(60));

        var saved = answers.Select(a => a.GetProperty("slotIntervalMinutes").GetInt32()).ToList();
        Assert.Equal([15, 30], saved.Order());
    }

    [Fact]
    public async Task Notification_settings_saved_for_the_first_time_twice_at_once()
    {
        static object Settings(string address) => new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = new[] { address }, templateId = (Guid?)null },
            includeStaffChanges = false,
        };
        var answers = await SaveTwiceAsync("notifications.notification_settings", "/api/v1/admin/notification-settings",
            Settings("first@example.com"), Settings("second@example.com"), Settings("other@example.com"));

        var saved = answers.Select(a => a.GetProperty("extraAddressesOnNew").GetProperty("addresses")[0].GetString()).ToList();
        Assert.Equal(["first@example.com", "second@example.com"], saved.Order());
    }

    /// <summary>
    /// PUTs <paramref name="first"/> and <paramref name="second"/> to a new business at once while a copy of another
    /// business's row (saved from <paramref name="other"/>) is held; returns both answers, and checks that what the
    /// business now reads is one of them.
    /// </summary>
    private async Task<JsonElement[]> SaveTwiceAsync(string table, string path, object first, object second, object other)
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var donor = await shared.App.SignUpBusinessAsync();
        await (await donor.Owner.PutAsJsonAsync(path, other)).JsonAsync(HttpStatusCode.OK);

        JsonElement[] answers;
        await using (var held = await HeldTransaction.BeginAsync(shared.App.Database.Database))
        {
            await held.ExecAsync($"""
                CREATE TEMP TABLE copied ON COMMIT DROP AS SELECT * FROM {table} WHERE tenant_id = @donor;
                UPDATE copied SET tenant_id = @t;
                INSERT INTO {table} SELECT * FROM copied;
                """, ("donor", donor.Id), ("t", biz.Id));
            var responses = await held.QueueThenCommitAsync($"INSERT INTO {table}", () => biz.Owner.PutAsJsonAsync(path, first), () => biz.Owner.PutAsJsonAsync(path, second));
            answers = await Task.WhenAll(responses.Select(r => r.JsonAsync(HttpStatusCode.OK)));
        }

        var now = await (await biz.Owner.GetAsync(new Uri(path, UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(now.ToString(), answers.Select(a => a.ToString()));
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(shared.App.Database.Database, $"SELECT count(*) FROM {table} WHERE tenant_id = @t", ("t", biz.Id)));
        return answers;
    }
}
