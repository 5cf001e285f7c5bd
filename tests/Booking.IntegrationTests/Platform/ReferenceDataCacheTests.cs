using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// Services and the roster are cached per business (ReferenceDataCache). A change must show at once on the instance
/// that saved it, and on every other instance once it commits (NOTIFY), long before the entries' 5-minute backstop.
/// </summary>
public sealed class ReferenceDataCacheTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly TimeSpan FarBelowTheBackstop = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_roster_or_service_change_reaches_the_saving_instance_at_once_and_a_second_instance_on_commit()
    {
        var a = shared.App;
        await using var b = new BookingApp(a.Database); // a second instance of the app on the same database
        var bookable = await a.BookableAsync();
        var day = Day(4);
        var ten = DateTimeOffset.Parse(At(day, 10), null);
        var onA = a.NewClient();
        var onB = b.NewClient();

        // Both instances have read (and cached) the roster and the service.
        Assert.Contains(ten, (await onA.SlotsAsync(bookable, day, day)).Starts());
        Assert.Contains(ten, (await onB.SlotsAsync(bookable, day, day)).Starts());

        // The roster now starts at noon: instance A, which saved it, answers from the new roster straight away ...
        await bookable.Biz.RosterEveryDayAsync(bookable.DiaryId, "12:00", "23:30");
        var afterOnA = (await onA.SlotsAsync(bookable, day, day)).Starts();
        Assert.DoesNotContain(ten, afterOnA);
        Assert.Contains(DateTimeOffset.Parse(At(day, 12), null), afterOnA);

        // ... and instance B drops its copy when the change's notification arrives.
        await Eventually.ReturnsAsync(async () => (await onB.SlotsAsync(bookable, day, day)).Starts(), s => !s.Contains(ten), FarBelowTheBackstop,
            "instance B to see the new roster");

        // A retired service stops being offered on B as well.
        var services = await (await onB.GetAsync(new Uri($"/api/v1/portal/services?name={bookable.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Single(services.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await bookable.Biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{bookable.ServiceId}", UriKind.Relative))).StatusCode);
        Assert.Empty(await onA.SlotsAsync(bookable, day, day));
        await Eventually.ReturnsAsync(
            async () => (await (await onB.GetAsync(new Uri($"/api/v1/portal/services?name={bookable.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
                .GetProperty("items").GetArrayLength(),
            count => count == 0, FarBelowTheBackstop, "instance B to stop offering the service");
        Assert.Empty(await onB.SlotsAsync(bookable, day, day));
    }

    /// <summary>
    /// Decision 351: the portal settings are reference data too. A save shows on the saving instance at once and on a
    /// second instance on commit, not after the old 30-second entry life (an email sent meanwhile went without the
    /// business's new Reply-To: BusinessContactEmailTests failed once so in CI).
    /// </summary>
    [Fact]
    public async Task A_portal_settings_change_reaches_the_saving_instance_at_once_and_a_second_instance_on_commit()
    {
        var a = shared.App;
        await using var b = new BookingApp(a.Database);
        var biz = await a.SignUpBusinessAsync("settings-cache");
        var onA = a.NewClient();
        var onB = b.NewClient();

        async Task<string?> ContactEmailAsync(HttpClient http) =>
            (await (await http.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
                .GetProperty("contact").GetProperty("email").GetString();

        Assert.Null(await ContactEmailAsync(onA)); // both instances read (and keep) the settings
        Assert.Null(await ContactEmailAsync(onB));

        var desk = $"desk-{Guid.NewGuid():N}@business.example";
        await biz.SettingsAsync(s => s["contact"] = new System.Text.Json.Nodes.JsonObject { ["email"] = desk });
        Assert.Equal(desk, await ContactEmailAsync(onA));
        await Eventually.ReturnsAsync(() => ContactEmailAsync(onB), e => e == desk, FarBelowTheBackstop, "instance B to see the new contact email");
    }
}
