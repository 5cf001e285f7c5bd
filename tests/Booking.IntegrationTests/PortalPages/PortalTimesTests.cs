using System.Globalization;
using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using NodaTime;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// Portal times name their zone on the days the clocks change (decision 86, the staff diary's rule): on New York's
/// fall-back night the two 1:30s are different slots and must not read alike; an ordinary day's times stay bare.
/// </summary>
public sealed class PortalTimesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private BookingApp App => shared.App;

    [Fact]
    public async Task The_booking_page_tells_the_two_1_30s_of_a_fall_back_night_apart_and_leaves_an_ordinary_day_bare()
    {
        var b = await NewYorkBusinessAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var fallBack = NextFallBack();
        var ordinary = fallBack.PlusDays(3);

        var page = await client.Http.PageAsync(DayUrl(b, fallBack));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var times = Times(page);
        var repeated = times.Where(t => t.Start.Date == fallBack.ToDateTimeUnspecified().Date && t.Start.TimeOfDay == new TimeSpan(1, 30, 0)).ToList();
        Assert.Equal(2, repeated.Count);
        Assert.Equal(
            [(TimeSpan.FromHours(-4), "1:30 AM EDT"), (TimeSpan.FromHours(-5), "1:30 AM EST")],
            repeated.Select(t => (t.Start.Offset, t.Text)).ToList());
        // Every time of that day names its zone, not only the repeated hour's.
        Assert.Contains(times, t => t.Text == "12:00 AM EDT");
        Assert.Contains(times, t => t.Text == "11:00 PM EST");
        Assert.All(times, t => Assert.Matches(@"^\d{1,2}:\d{2} [AP]M E[DS]T\z", t.Text));

        var plain = await client.Http.PageAsync(DayUrl(b, ordinary));

        var plainTimes = Times(plain);
        Assert.Contains(plainTimes, t => t.Text == "1:30 AM");
        Assert.All(plainTimes, t => Assert.Matches(@"^\d{1,2}:\d{2} [AP]M\z", t.Text));
    }

    [Fact]
    public async Task A_spring_forward_day_names_the_zone_either_side_of_the_gap()
    {
        var b = await NewYorkBusinessAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var springForward = NextChange(day => NewYork.MapLocal(day.At(new LocalTime(2, 30))).Count == 0);

        var times = Times(await client.Http.PageAsync(DayUrl(b, springForward))).Select(t => t.Text).ToList();

        Assert.Contains("1:30 AM EST", times);
        Assert.Contains("3:00 AM EDT", times);
        Assert.DoesNotContain(times, t => t.StartsWith("2:", StringComparison.Ordinal) && t.Contains(" AM ", StringComparison.Ordinal)); // 2 AM never happens
    }

    [Fact]
    public async Task Confirm_booked_appointments_and_cancel_pages_say_which_1_30_and_an_ordinary_day_is_unchanged()
    {
        var b = await NewYorkBusinessAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var fallBack = NextFallBack();
        var ordinary = fallBack.PlusDays(3);
        var day = fallBack.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);
        var oneThirties = (await client.Http.PageAsync(DayUrl(b, fallBack))).All(".slot").Where(a => a.TextContent.StartsWith("1:30 AM", StringComparison.Ordinal)).ToList();
        Assert.Equal(["1:30 AM EDT", "1:30 AM EST"], oneThirties.Select(a => a.TextContent.Trim()));
        var slots = oneThirties.ToDictionary(a => a.TextContent.Trim()[^3..], a => WebUtility.HtmlDecode(a.GetAttribute("href")!));

        // The confirm page of each 1:30 says which one it is.
        var confirmEdt = await client.Http.PageAsync(slots["EDT"]);
        Assert.Equal($"{day} at 1:30 AM EDT", confirmEdt.One(".summary time")?.TextContent);
        var confirmEst = await client.Http.PageAsync(slots["EST"]);
        Assert.Equal($"{day} at 1:30 AM EST", confirmEst.One(".summary time")?.TextContent);

        // Booking the second 1:30 through the page: the booked page says EST.
        var posted = await client.Http.SubmitAsync(confirmEst, PortalHtml.Fields());
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        var booked = await client.Http.PageAsync(posted.Response.Headers.Location!.OriginalString);
        Assert.Equal($"{day}, 1:30–2:00 AM EST", booked.One(".summary time")?.TextContent);

        // The first 1:30 (it ends at 1:00 EST, after the clocks went back) and an ordinary night's 1:30.
        Assert.Equal(HttpStatusCode.Created, (await client.BookAsync(b, Iso(fallBack, 1, 30, -4))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.BookAsync(b, Iso(ordinary, 1, 30, -5))).StatusCode);

        var list = await client.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        var whens = list.All("section[aria-labelledby=upcoming] .appointment .when time").Select(t => t.TextContent).ToList();
        Assert.Equal(
            [
                $"{day}, 1:30 AM EDT–1:00 AM EST",
                $"{day}, 1:30–2:00 AM EST",
                $"{ordinary.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)}, 1:30–2:00 AM",
            ],
            whens);
        // The links' names for screen readers say which one too.
        Assert.Contains(list.All(".appointment a.cancel"), a => a.TextContent.EndsWith($"on {day} at 1:30 AM EDT", StringComparison.Ordinal));

        var cancelLink = list.All(".appointment").Single(li => li.QuerySelector(".when")!.TextContent.Contains("1:30 AM EDT", StringComparison.Ordinal))
            .QuerySelector("a.cancel")!.GetAttribute("href")!;
        var cancel = await client.Http.PageAsync(WebUtility.HtmlDecode(cancelLink));
        Assert.Equal($"{day}, 1:30 AM EDT–1:00 AM EST", cancel.One(".summary time")?.TextContent);
    }

    private async Task<Bookable> NewYorkBusinessAsync()
    {
        var biz = await App.SignUpBusinessAsync("ny", "America/New_York");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 400); // a fall-back night is always within 400 days
        var diary = await biz.DiaryAsync("Dr Night");
        await biz.RosterEveryDayAsync(diary, "00:00", "23:30");
        var service = await biz.ServiceAsync("Night visit", 30, 0, [diary]);
        return new Bookable(biz, diary, service);
    }

    private static string DayUrl(Bookable b, LocalDate day) =>
        $"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&date={SchedulingApi.Iso(day)}";

    /// <summary>Each slot's start (from its datetime) and the text a client reads.</summary>
    private static List<(DateTimeOffset Start, string Text)> Times(HtmlPage page)
    {
        var times = page.All("#slots .slot time")
            .Select(t => (DateTimeOffset.Parse(t.GetAttribute("datetime")!, CultureInfo.InvariantCulture), t.TextContent.Trim())).ToList();
        Assert.NotEmpty(times);
        return times;
    }

    /// <summary>The next day whose 1:30 happens twice in New York.</summary>
    private static LocalDate NextFallBack() => NextChange(day => NewYork.MapLocal(day.At(new LocalTime(1, 30))).Count == 2);

    private static LocalDate NextChange(Func<LocalDate, bool> isIt)
    {
        var day = SystemClock.Instance.GetCurrentInstant().InZone(NewYork).Date.PlusDays(1);
        while (!isIt(day))
        {
            day = day.PlusDays(1);
        }

        return day;
    }

    private static string Iso(LocalDate day, int hour, int minute, int offsetHours) =>
        new DateTimeOffset(day.Year, day.Month, day.Day, hour, minute, 0, TimeSpan.FromHours(offsetHours)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
