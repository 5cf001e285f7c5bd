using System.Net;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Setup → Business details, the page, with the postal address (decision 274): a two-line address typed in the textarea
/// is saved through the form (antiforgery and all) as its lines, read back by the API, the page and the portal; a control
/// character or more than 300 characters is shown next to the field and nothing is saved.
/// </summary>
public sealed class BusinessAddressPageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Task<HtmlPage> SaveAsync(TestBusiness biz, HtmlPage page, params (string Name, string Value)[] fields) =>
        biz.Owner.SubmitAsync(page, PortalHtml.Fields(fields), "#details-form");

    private static async Task<string?> ApiAddressAsync(TestBusiness biz)
    {
        var details = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/business", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        return details.GetProperty("address").ValueKind == JsonValueKind.Null ? null : details.GetProperty("address").GetString();
    }

    private static string Box(HtmlPage page) => page.One("textarea[name='Input.Address']")!.TextContent.ReplaceLineEndings("\n").Trim('\n');

    [Fact]
    public async Task A_two_line_address_typed_on_the_page_is_saved_as_its_lines_and_read_back_by_the_api_the_page_and_the_portal()
    {
        var biz = await App.SignUpBusinessAsync("addr-form");
        var page = await biz.Owner.PageAsync("/staff/setup/business");
        Assert.Equal("", Box(page));

        // As a browser sends a textarea: CRLF between the lines.
        var saved = await SaveAsync(biz, page, ("Input.Address", " Level 2, 1 Harbour St \r\nSydney NSW 2000\r\n"));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var after = await biz.Owner.PageAsync(saved.Response.Headers.Location!.OriginalString);
        Assert.Contains("Clients see your new address", after.One("p.notice")!.TextContent, StringComparison.Ordinal);

        Assert.Equal("Level 2, 1 Harbour St\nSydney NSW 2000", await ApiAddressAsync(biz));
        Assert.Equal("Level 2, 1 Harbour St\nSydney NSW 2000", Box(after));
        var portal = await App.NewClient().PageAsync($"/ol/sign-in?name={biz.Slug}");
        Assert.Equal(["Level 2, 1 Harbour St", "Sydney NSW 2000"], portal.All("footer .business-address .address-line").Select(l => l.TextContent));

        // Saving the page again unchanged keeps it; emptying the box removes it.
        var again = await SaveAsync(biz, after);
        Assert.Equal(HttpStatusCode.Redirect, again.Status);
        Assert.Equal("Level 2, 1 Harbour St\nSydney NSW 2000", await ApiAddressAsync(biz));
        var emptied = await SaveAsync(biz, await biz.Owner.PageAsync("/staff/setup/business"), ("Input.Address", ""));
        Assert.Equal(HttpStatusCode.Redirect, emptied.Status);
        Assert.Null(await ApiAddressAsync(biz));
    }

    [Theory]
    [InlineData("1 Harbour St\u0007\r\nSydney", "Remove the control characters (line breaks and tabs are fine).")]
    [InlineData("long", "Use at most 300 characters.")]
    public async Task A_bad_address_is_shown_next_to_its_field_and_nothing_is_saved(string typed, string said)
    {
        var address = typed == "long" ? new string('x', 150) + "\r\n" + new string('y', 150) : typed;
        var biz = await App.SignUpBusinessAsync("addr-form-bad");
        var page = await biz.Owner.PageAsync("/staff/setup/business");
        var first = await SaveAsync(biz, page, ("Input.Address", "1 Harbour St\r\nSydney NSW 2000"));
        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        page = await biz.Owner.PageAsync("/staff/setup/business");

        var failed = await SaveAsync(biz, page, ("Input.Name", "Renamed meanwhile"), ("Input.Address", address));

        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Equal(said, failed.One("#address-error")!.TextContent.Trim());
        var box = failed.One("textarea[name='Input.Address']")!;
        Assert.Equal("true", box.GetAttribute("aria-invalid"));
        Assert.NotNull(failed.One($"#error-summary a[href='#{box.Id}']"));
        Assert.Equal("", failed.One("#name-error")!.TextContent.Trim());
        Assert.Equal("1 Harbour St\nSydney NSW 2000", await ApiAddressAsync(biz));
        var details = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/business", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal($"Business {biz.Slug}", details.GetProperty("name").GetString());
    }
}
