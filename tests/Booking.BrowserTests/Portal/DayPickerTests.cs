using System.Globalization;
using System.Text.RegularExpressions;
using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>
/// The booking page's day picker (portal.js) in a real browser: a day inside today..horizon loads in place the server
/// page's own "Free times" section for it (decision 81): its times, its "Other days", and on a day the clocks change
/// each time's zone (decision 86); a typed day outside today..horizon stays on the page and is named beside the field
/// (decision 339), and in the address goes to the server page, which says how far booking is open. None of this shows in the HTML alone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DayPickerTests(BrowserFixture fixture)
{
    /// <summary>A mark on the page's document: a full navigation (the server page) starts a new one without it.</summary>
    private const string Mark = "() => { window.sameDocument = true; }";

    private const string Marked = "() => window.sameDocument === true";

    [Fact]
    public async Task A_picked_day_loads_in_place_keeping_other_days_and_a_day_past_the_horizon_goes_to_the_server_page()
    {
        var business = await fixture.BusinessAsync(); // horizon 60 days
        var page = await BookingPageAsync(business);
        var day = page.GetByLabel("Day", new() { Exact = true });
        var today = Date(await day.GetAttributeAsync("min"));
        var last = Date(await day.GetAttributeAsync("max"));
        var shown = await day.InputValueAsync();
        // A few days on: not the day shown.
        var picked = Enumerable.Range(3, 30).Select(n => today.AddDays(n)).First(d => Iso(d) != shown);
        var otherDays = page.Locator("#slots .other-days");
        var otherDayLinks = otherDays.Locator(".days a");
        await Assertions.Expect(otherDayLinks).Not.ToHaveCountAsync(0);

        await page.EvaluateAsync(Mark);
        await day.FillAsync(Iso(picked));

        var times = page.Locator("#slots .slot time");
        await Assertions.Expect(times.First).ToHaveAttributeAsync("datetime", new Regex("^" + Iso(picked)));
        Assert.All(await times.EvaluateAllAsync<string[]>("ts => ts.map(t => t.getAttribute('datetime'))"),
            start => Assert.StartsWith(Iso(picked) + "T", start, StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#slots-heading")).ToContainTextAsync(picked.ToString("d MMMM", CultureInfo.InvariantCulture));
        Assert.True(await page.EvaluateAsync<bool>(Marked), "Picking a day inside the horizon left the page instead of loading its times in place.");
        // The address names the day shown, so a reload shows it again.
        Assert.Matches("[?&]date=" + Iso(picked) + "(&|$)", page.Url);
        // Each time links to the confirm page for that start.
        var start = await times.First.GetAttributeAsync("datetime");
        await Assertions.Expect(page.Locator("#slots a.slot").First).ToHaveAttributeAsync("href", new Regex("start=" + Regex.Escape(Uri.EscapeDataString(start!))));
        // "Other days with free times" stays, and is the picked day's: the days after it, not the list of the day before.
        await Assertions.Expect(otherDays.GetByRole(AriaRole.Heading, new() { Name = "Other days with free times" })).ToBeVisibleAsync();
        await Assertions.Expect(otherDayLinks).Not.ToHaveCountAsync(0);
        var otherDates = (await otherDayLinks.EvaluateAllAsync<string[]>("links => links.map(a => new URL(a.href).searchParams.get('date'))"))
            .Select(Date).ToList();
        Assert.All(otherDates, d => Assert.True(d > picked, $"Other days lists {d}, not after the picked day {picked}."));
        await page.AssertAccessibleAsync("portal-day-picked");

        // Past the horizon, typed: the page stays (the date may be half typed, decision 339) and says beside the field
        // how far booking is open, in the server's words; the times shown are still the picked day's.
        var beyond = last.AddDays(30);
        await day.FillAsync(Iso(beyond));
        var lastText = last.ToString(last.Year == today.Year ? "d MMMM" : "d MMMM yyyy", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#date-out")).ToHaveTextAsync(new Regex($"^Online booking is open up to .*{Regex.Escape(lastText)}\\. Choose that day or earlier\\.$"));
        await Assertions.Expect(page.Locator("#slots-heading")).ToContainTextAsync(picked.ToString("d MMMM", CultureInfo.InvariantCulture));
        Assert.True(await page.EvaluateAsync<bool>(Marked), "A typed day past the horizon should not leave the page.");

        // The same day in the address (a link, or the form sent without the script): the server page shows the last
        // bookable day and says how far booking is open.
        await page.GotoAsync(page.Url.Replace("date=" + Iso(picked), "date=" + Iso(beyond), StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#slots [role=status]")).ToHaveTextAsync($"Online booking is open up to {lastText}. Here is that day instead.");
        await Assertions.Expect(day).ToHaveValueAsync(Iso(last));
        await Assertions.Expect(page.Locator("#slots-heading")).ToContainTextAsync(last.ToString("d MMMM", CultureInfo.InvariantCulture));
        await Assertions.Expect(otherDays).ToHaveCountAsync(0); // nothing after the last day
    }

    [Fact]
    public async Task A_day_the_clocks_change_loads_in_place_with_each_times_zone()
    {
        // Sydney changes its clocks in April and October: 200 days always hold one change.
        var business = await fixture.BusinessAsync(horizonDays: 200);
        var page = await BookingPageAsync(business);
        var day = page.GetByLabel("Day", new() { Exact = true });
        var changeDay = Iso(NextChangeDay("Australia/Sydney", Date(await day.GetAttributeAsync("min")).AddDays(1)));

        await page.EvaluateAsync(Mark);
        await day.FillAsync(changeDay);

        var times = page.Locator("#slots .slot time");
        await Assertions.Expect(times.First).ToHaveAttributeAsync("datetime", new Regex("^" + changeDay));
        var texts = await times.AllTextContentsAsync();
        Assert.All(texts, t => Assert.Matches(@"^\d{1,2}:\d{2} [AP]M AE[DS]T\z", t));
        Assert.Contains(texts, t => t.EndsWith("AEDT", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.EndsWith("AEST", StringComparison.Ordinal));
        Assert.True(await page.EvaluateAsync<bool>(Marked), "A change day left the page instead of loading in place.");
    }

    /// <summary>The first day from <paramref name="from"/> on which the zone's offset at midnight differs from the next day's.</summary>
    private static DateOnly NextChangeDay(string zoneId, DateOnly from)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        // Sydney's midnights all exist (its clocks change at 2 and 3 am).
        TimeSpan OffsetAtStart(DateOnly d) => zone.GetUtcOffset(TimeZoneInfo.ConvertTimeToUtc(d.ToDateTime(TimeOnly.MinValue), zone));
        return Enumerable.Range(0, 400).Select(n => from.AddDays(n)).First(d => OffsetAtStart(d) != OffsetAtStart(d.AddDays(1)));
    }

    private async Task<IPage> BookingPageAsync(PortalBusiness business)
    {
        var user = await fixture.RegisterAsync(business);
        var page = await fixture.NewPageAsync(1280);
        await page.SignInAsync(business, user);
        await page.GotoAsync(business.BookingUrlTomorrow());
        await Assertions.Expect(page.Locator("#slots .slot").First).ToBeVisibleAsync();
        return page;
    }

    private static DateOnly Date(string? iso) => DateOnly.ParseExact(iso!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
