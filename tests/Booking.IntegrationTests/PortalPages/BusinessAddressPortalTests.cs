using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// Decision 277: the business's postal address (decision 274) is a public fact. GET /api/v1/portal/business answers it
/// (null when none); the portal shows it with the phone and email wherever it shows them, a line of the page per line of
/// the address, escaped; the booked page says where the appointment is.
/// </summary>
public sealed class BusinessAddressPortalTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Address = "Level 2, <b>1</b> Harbour & Co St\nSydney NSW 2000";
    private const string Email = "desk@address-biz.example";

    private BookingApp App => shared.App;

    private static Task SetAddressAsync(TestBusiness biz, string address) =>
        biz.Owner.PutAsJsonAsync("/api/v1/admin/business", new { name = $"Business {biz.Slug}", timeZone = "Australia/Sydney", countryCode = "AU", address })
            .ContinueWith(t => t.Result.JsonAsync(HttpStatusCode.OK)).Unwrap();

    private static string[] Lines(AngleSharp.Dom.IElement? element) =>
        element is null ? [] : element.QuerySelectorAll(".address-line").Select(l => l.TextContent).ToArray();

    [Fact]
    public async Task The_public_business_answers_the_address_and_null_without_one()
    {
        var biz = await App.SignUpBusinessAsync("addr-pub");
        var visitor = App.NewClient();
        var url = new Uri($"/api/v1/portal/business?name={biz.Slug}", UriKind.Relative);

        var none = await (await visitor.GetAsync(url)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, none.GetProperty("address").ValueKind);

        await SetAddressAsync(biz, Address);
        var given = await (await visitor.GetAsync(url)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Address, given.GetProperty("address").GetString());
    }

    [Fact]
    public async Task The_portal_shows_the_address_with_the_contact_line_by_line_and_escaped()
    {
        var biz = await App.SignUpBusinessAsync("addr-page");
        var visitor = App.NewClient();

        // No phone, no email, no address: nothing (as before).
        var bare = await visitor.PageAsync($"/ol/sign-in?name={biz.Slug}");
        Assert.Null(bare.One(".business-contact"));

        // An address alone is enough for the footer's contact.
        await SetAddressAsync(biz, Address);
        var alone = await visitor.PageAsync($"/ol/sign-in?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, alone.Status);
        var shown = alone.One("footer .business-contact .business-address");
        Assert.Equal(["Level 2, <b>1</b> Harbour & Co St", "Sydney NSW 2000"], Lines(shown));
        Assert.StartsWith("Address: ", shown!.TextContent, StringComparison.Ordinal);
        Assert.Single(shown.QuerySelectorAll("br"));
        Assert.Contains("Level 2, &lt;b&gt;1&lt;/b&gt; Harbour &amp; Co St", alone.Html, StringComparison.Ordinal);
        Assert.Null(alone.One("footer .business-contact b"));

        // With an email: the email, then the address, in the one contact block.
        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = null, ["email"] = Email });
        var both = await visitor.PageAsync($"/ol/sign-in?name={biz.Slug}");
        var contact = Assert.Single(both.All(".business-contact"));
        Assert.NotNull(contact.QuerySelector("a[href='mailto:" + Email + "']"));
        Assert.Equal(["Level 2, <b>1</b> Harbour & Co St", "Sydney NSW 2000"], Lines(contact.QuerySelector(".business-address")));

        // Where a page asks the client to get in touch (the portal switched off), the address is there too.
        await biz.SettingsAsync(s => s["enabled"] = false);
        var off = await visitor.PageAsync($"/ol/sign-in?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.Forbidden, off.Status);
        Assert.Equal(["Level 2, <b>1</b> Harbour & Co St", "Sydney NSW 2000"], Lines(off.One("main .business-contact .business-address")));
        Assert.Single(off.All(".business-address"));
    }

    [Fact]
    public async Task The_booked_page_says_where_to_go()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(4), SchedulingApi.Day(4))).Starts()[1];
        var id = (await (await alice.BookAsync(b, start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var url = $"/ol/booked?name={b.Biz.Slug}&id={id}";

        var without = await alice.Http.PageAsync(url);
        Assert.Equal(HttpStatusCode.OK, without.Status);
        Assert.Null(without.One(".where"));
        Assert.DoesNotContain(without.All("dl.summary dt"), dt => dt.TextContent.Trim() == "Where");

        await SetAddressAsync(b.Biz, Address);
        await b.Biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = null, ["email"] = Email });
        var with = await alice.Http.PageAsync(url);
        // "Where": the address on one line, as a map app's search box takes it (decision 292), escaped.
        var where = with.One("dl.summary .where");
        Assert.Equal("Level 2, <b>1</b> Harbour & Co St, Sydney NSW 2000", where?.TextContent);
        Assert.Equal("Where", where!.ParentElement?.PreviousElementSibling?.TextContent.Trim());
        Assert.Null(where.QuerySelector("b"));
        // Said once: the footer's contact keeps the email and leaves the address out on this page only.
        Assert.Empty(with.All(".business-address"));
        Assert.NotNull(with.One("footer .business-contact a[href='mailto:" + Email + "']"));
        var other = await alice.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Single(other.All(".business-address")); // other pages still give it with the contact

        // A room's or equipment's diary is "Where" itself: one "Where", naming the diary and then the address.
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{b.DiaryId}",
            new { name = "Grooming table 2", contactEmail = "", active = true, kind = "resource" })).JsonAsync(HttpStatusCode.OK);
        var room = await alice.Http.PageAsync(url);
        Assert.Single(room.All("dl.summary dt"), dt => dt.TextContent.Trim() == "Where");
        var both = room.One("dl.summary .where")!.ParentElement!;
        Assert.Equal("Where", both.PreviousElementSibling?.TextContent.Trim());
        Assert.StartsWith("Grooming table 2", both.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Level 2, <b>1</b> Harbour & Co St, Sydney NSW 2000", room.One("dl.summary .where")?.TextContent);
        Assert.Empty(room.All(".business-address"));
    }
}
