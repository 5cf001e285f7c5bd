using System.Net;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// Every combination of the three access levels (view, book, cancel; portal on), over the portal API and the portal
/// pages: what each answers, which links and buttons are offered, and that no offered link is refused (decision 94).
/// View governs the lists; book booking and availability; cancel cancelling; one appointment by its id is readable
/// under any level. A refusal is 403 <c>access-level-off</c> on the API and a page with a sentence, never an error page.
/// </summary>
public sealed class AccessLevelCombinationsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    /// <summary>The password <see cref="SchedulingApi.RegisterClientAsync"/> gives its clients.</summary>
    private const string ClientPassword = "a long client password 2026!";

    private BookingApp App => shared.App;

    public static TheoryData<bool, bool, bool> Combinations()
    {
        var all = new TheoryData<bool, bool, bool>();
        foreach (var view in new[] { true, false })
        {
            foreach (var book in new[] { true, false })
            {
                foreach (var cancel in new[] { true, false })
                {
                    all.Add(view, book, cancel);
                }
            }
        }

        return all;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task The_api_answers_each_access_level_as_set(bool view, bool book, bool cancel)
    {
        var (b, client, ids) = await BusinessWithBookingsAsync(view, book, cancel);
        var slug = b.Biz.Slug;
        var http = client.Http;

        var facts = await (await http.GetAsync(Url($"/api/v1/portal/business?name={slug}"))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((view, book, cancel), (Level(facts, "view"), Level(facts, "book"), Level(facts, "cancel")));

        // The lists: view only.
        var list = await http.GetAsync(Url($"/api/v1/portal/appointments?name={slug}"));
        if (view)
        {
            var items = (await list.JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(3, items.Count);
            Assert.All(items, i => Assert.Equal(cancel, i.GetProperty("canCancel").GetBoolean()));
        }
        else
        {
            await RefusedAsync(list);
        }

        // One appointment by its id: any level (booking and cancelling act on one and must show it).
        var one = await http.GetAsync(Url($"/api/v1/portal/appointments/{ids[0]}?name={slug}"));
        if (view || book || cancel)
        {
            var appointment = await one.JsonAsync(HttpStatusCode.OK);
            Assert.Equal(ids[0], appointment.GetProperty("id").GetGuid());
            Assert.Equal(cancel, appointment.GetProperty("canCancel").GetBoolean());
        }
        else
        {
            await RefusedAsync(one);
        }

        // Slots are an offer to book: book only.
        var slots = await http.GetAsync(Url($"/api/v1/portal/availability?name={slug}&service={b.ServiceId}&diary=any&from={Iso(Day(8))}&to={Iso(Day(8))}"));
        if (book)
        {
            Assert.NotEmpty((await slots.JsonAsync(HttpStatusCode.OK)).GetProperty("slots").EnumerateArray());
        }
        else
        {
            await RefusedAsync(slots);
        }

        var booked = await client.BookAsync(b, At(Day(8), 10));
        if (book)
        {
            var created = await booked.JsonAsync(HttpStatusCode.Created);
            Assert.Equal(cancel, created.GetProperty("canCancel").GetBoolean());
            // The Location names what was booked, and the client may read it there, list or no list.
            var location = await (await http.GetAsync(booked.Headers.Location!)).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(created.GetProperty("id").GetGuid(), location.GetProperty("id").GetGuid());
        }
        else
        {
            await RefusedAsync(booked);
        }

        var cancelled = await http.CancelAsync(slug, ids[1], "Plans changed");
        if (cancel)
        {
            Assert.Equal("cancelled", (await cancelled.JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        }
        else
        {
            await RefusedAsync(cancelled);
        }
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task The_pages_offer_only_what_the_access_levels_allow_and_refuse_with_a_sentence(bool view, bool book, bool cancel)
    {
        var (b, client, ids) = await BusinessWithBookingsAsync(view, book, cancel);
        var slug = b.Biz.Slug;
        var http = client.Http;
        var offered = new List<string>();

        // The landing page, signed in: one button per thing the client may do, or a sentence when there is none.
        var landing = await PageAsync(http, $"/ol/book?name={slug}", HttpStatusCode.OK, offered);
        Assert.Equal(view, Offers(landing, "nav a", "/ol/appointments"));
        Assert.Equal(book, Offers(landing, "nav a", "/ol/new-booking"));
        Assert.Equal(view, Offers(landing, "main a", "/ol/appointments"));
        Assert.Equal(book, Offers(landing, "main a", "/ol/new-booking"));
        Assert.Equal(!view && !book, landing.Text.Contains("does not let clients book or see their appointments online", StringComparison.Ordinal));

        var list = await PageAsync(http, $"/ol/appointments?name={slug}", view ? HttpStatusCode.OK : HttpStatusCode.Forbidden, offered);
        if (view)
        {
            Assert.Equal(cancel ? 3 : 0, list.All(".appointment a[href^='/ol/cancel']").Length);
            // This business gave no phone, email or address, so the list does not send the client to contact it (decision 359).
            Assert.Equal(!cancel, list.Text.Contains($"Appointments cannot be cancelled or changed online. Business {slug} hasn't given a phone number or email address here.", StringComparison.Ordinal));
            Assert.Equal(book, Offers(list, "main a", "/ol/new-booking"));
        }
        else
        {
            Assert.Contains("does not let clients see their appointments online", list.Text, StringComparison.Ordinal);
        }

        var booking = await PageAsync(http, $"/ol/new-booking?name={slug}", book ? HttpStatusCode.OK : HttpStatusCode.Forbidden, offered);
        if (!book)
        {
            Assert.Contains("does not let clients book appointments online", booking.Text, StringComparison.Ordinal);
        }

        // What was booked, and its calendar file: any level.
        var any = view || book || cancel;
        var bookedPage = await PageAsync(http, $"/ol/booked?name={slug}&id={ids[0]}", any ? HttpStatusCode.OK : HttpStatusCode.Forbidden, offered);
        var calendar = await http.GetAsync(Url($"/ol/calendar?name={slug}&id={ids[0]}"));
        if (any)
        {
            Assert.Equal("You're booked", bookedPage.One("h1")?.TextContent.Trim());
            Assert.Equal(view, Offers(bookedPage, "main a", "/ol/appointments"));
            // Without the list, this is where a booking is cancelled from.
            Assert.Equal(cancel, Offers(bookedPage, "main a", "/ol/cancel"));
            Assert.Equal(HttpStatusCode.OK, calendar.StatusCode);
            Assert.Equal("text/calendar", calendar.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            Assert.Contains("does not let clients see their appointments online", bookedPage.Text, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, calendar.StatusCode);
            Assert.Equal("text/html", calendar.Content.Headers.ContentType?.MediaType);
        }

        var cancelPage = await PageAsync(http, $"/ol/cancel?name={slug}&id={ids[2]}", cancel ? HttpStatusCode.OK : HttpStatusCode.Forbidden, offered);
        if (cancel)
        {
            var after = await http.SubmitAsync(cancelPage, PortalHtml.Fields(("Input.Reason", "Plans changed")));
            Assert.Equal(HttpStatusCode.Redirect, after.Status);
            var next = after.Response.Headers.Location!.OriginalString;
            Assert.StartsWith(view ? "/ol/appointments?" : "/ol/cancel?", next, StringComparison.Ordinal);
            var told = await PageAsync(http, next, HttpStatusCode.OK, offered);
            Assert.Contains("Your appointment is cancelled.", told.Text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("does not let clients cancel appointments online", cancelPage.Text, StringComparison.Ordinal);
        }

        // After a password change the page sends the client on: home, never a page switched off.
        var password = await PageAsync(http, $"/ol/change-password?name={slug}", HttpStatusCode.OK, offered);
        var changed = await http.SubmitAsync(password, PortalHtml.Fields(("Input.CurrentPassword", ClientPassword), ("Input.NewPassword", "another long client password 2027!")));
        Assert.Contains("Your password is changed.", changed.Text, StringComparison.Ordinal);
        offered.AddRange(changed.All("a[href^='/ol/']").Select(a => a.GetAttribute("href")!));
        Assert.Equal(view, Offers(changed, "main a", "/ol/appointments"));
        Assert.Equal(!view && book, Offers(changed, "main a", "/ol/new-booking"));

        // Nothing offered is refused: every portal page linked from the pages above opens (one link per path).
        foreach (var href in offered.Where(h => !h.StartsWith("/ol/sign-out", StringComparison.Ordinal)).DistinctBy(h => h.Split('?')[0]))
        {
            var opened = await http.GetAsync(Url(href));
            Assert.True(opened.StatusCode is HttpStatusCode.OK, $"{href} offered with view={view} book={book} cancel={cancel}, answered {(int)opened.StatusCode}");
        }
    }

    /// <summary>A bookable business, a signed-in client with three upcoming appointments (booked with every level on), then the levels set.</summary>
    private async Task<(Bookable B, PortalClient Client, Guid[] Ids)> BusinessWithBookingsAsync(bool view, bool book, bool cancel)
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var ids = new Guid[3];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = (await (await client.BookAsync(b, At(Day(3 + i), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }

        await b.Biz.SettingsAsync(s => s["accessLevels"] = new JsonObject { ["view"] = view, ["book"] = book, ["cancel"] = cancel });
        return (b, client, ids);
    }

    /// <summary>The API's refusal: 403 problem details of kind access-level-off.</summary>
    private static async Task RefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal("access-level-off", await response.KindAsync(HttpStatusCode.Forbidden));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A page in HTML (a refusal too: a page with a sentence, not problem details), its portal links noted.</summary>
    private static async Task<HtmlPage> PageAsync(HttpClient http, string url, HttpStatusCode expected, List<string> offered)
    {
        var page = await http.PageAsync(url);
        Assert.True(page.Status == expected, $"{url}: expected {(int)expected}, got {(int)page.Status}: {page.Text}");
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        offered.AddRange(page.All("a[href^='/ol/']").Select(a => a.GetAttribute("href")!));
        return page;
    }

    private static bool Offers(HtmlPage page, string selector, string path) =>
        page.All(selector).Any(a => (a.GetAttribute("href") ?? "").StartsWith(path + "?", StringComparison.Ordinal));

    private static bool Level(System.Text.Json.JsonElement facts, string level) => facts.GetProperty("accessLevels").GetProperty(level).GetBoolean();

    private static Uri Url(string path) => new(path, UriKind.Relative);
}
