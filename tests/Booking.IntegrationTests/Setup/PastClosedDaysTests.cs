using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Decision 317: business closed days before today (saved before decision 310 refused a past first date) are history.
/// Setup → Roster lists the past year's apart, newest first, read-only, at most ten runs; the upcoming list, the API's
/// plain GET and the diary go on treating them as before (the diary still says why such a day had no bookings).
/// </summary>
public sealed class PastClosedDaysTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    /// <summary>A closed day as one saved before decision 310 (the API refuses a past date now), straight into the table.</summary>
    private Task InsertAsync(TestBusiness biz, LocalDate date, string label) =>
        Sql.AdminExecAsync(App.Database.Database,
            "INSERT INTO roster.business_closed_days (tenant_id, date, label, created_at) VALUES (@t, @d, @l, now() - interval '400 days')",
            ("t", biz.Id), ("d", date.ToDateOnly()), ("l", label));

    private static string Long(LocalDate date) => Booking.BuildingBlocks.Time.DateStyle.DayFirst.Long(date);

    [Fact]
    public async Task Past_closed_days_of_the_past_year_are_listed_apart_newest_first_read_only_and_at_most_ten_runs()
    {
        var b = await App.BookableAsync();
        var biz = b.Biz;
        var empty = await biz.Owner.PageAsync("/staff/setup/roster");
        Assert.Equal($"No closed days since {Long(Day(0).PlusYears(-1))}.", empty.One("#past-closed-days-none")?.TextContent.Trim());

        // Yesterday and today under one label: yesterday is history, today is still upcoming (and removable).
        await InsertAsync(biz, Day(-1), "Floods");
        await InsertAsync(biz, Day(0), "Floods");
        await InsertAsync(biz, Day(-5), "Stocktake");
        foreach (var day in new[] { -40, -39, -38 })
        {
            await InsertAsync(biz, Day(day), "Easter");
        }

        await InsertAsync(biz, Day(-60), "");
        await InsertAsync(biz, Day(-400), "Long ago"); // more than a year back: not listed

        var page = await biz.Owner.PageAsync("/staff/setup/roster");

        var past = page.All("#past-closed-days tbody tr").Select(r => string.Join(" | ", r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()))).ToList();
        Assert.Equal([
            $"{Long(Day(-1))} | Floods",
            $"{Long(Day(-5))} | Stocktake",
            $"{Long(Day(-40))} – {Long(Day(-38))} (3 dates) | Easter",
            $"{Long(Day(-60))} | —",
        ], past);
        Assert.Empty(page.All("#past-closed-days form, #past-closed-days button")); // history: nothing to remove there
        Assert.Null(page.One("#past-closed-days-more"));
        var upcoming = Assert.Single(page.All("tr[data-closed-run]"));
        Assert.Equal(Iso(Day(0)), upcoming.GetAttribute("data-closed-run"));
        Assert.Contains("Floods", upcoming.TextContent, StringComparison.Ordinal);

        // The API: a plain GET is today's and later; a past range gives the past ones, by date.
        var plain = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/closed-days", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([Iso(Day(0))], plain.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("date").GetString()).ToList());
        var ranged = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/closed-days?from={Iso(Day(-60))}&to={Iso(Day(-5))}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal([Iso(Day(-60)), Iso(Day(-40)), Iso(Day(-39)), Iso(Day(-38)), Iso(Day(-5))],
            ranged.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("date").GetString()).ToList());
        // The diary says why that past day had no bookings (read from the database, the day being older than the cached roster's).
        var diary = await biz.Owner.PageAsync($"/staff/diary?date={Iso(Day(-5))}&view=day");
        Assert.Equal("Business closed: Stocktake", diary.One("[data-business-closed]")?.TextContent.Trim());

        // More than ten runs: the ten newest, and how many earlier ones are not shown.
        for (var day = -100; day >= -122; day -= 2)
        {
            await InsertAsync(biz, Day(day), "Inventory");
        }

        var many = await biz.Owner.PageAsync("/staff/setup/roster");
        var shown = many.All("#past-closed-days tbody tr").Select(r => r.GetAttribute("data-past-closed-run")).ToList();
        Assert.Equal(10, shown.Count);
        Assert.Equal(Iso(Day(-1)), shown[0]);
        Assert.Equal(Iso(Day(-110)), shown[^1]);
        Assert.Equal("The 10 most recent are shown; 6 earlier ones are in the diary on their days.", many.One("#past-closed-days-more")?.TextContent.Trim());
    }
}
