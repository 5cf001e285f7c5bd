using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// The staff appointment page says how to reach the client (review s31 #15): their email as a mail link and their mobile
/// as a phone link, "—" for what is not on file.
/// </summary>
public sealed class StaffAppointmentContactTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_appointment_page_shows_the_client_s_email_and_mobile_as_links()
    {
        var biz = await shared.App.SignUpBusinessAsync("contact-page");
        var diary = await biz.DiaryAsync("Dr Reach");
        var service = await biz.ServiceAsync("Check", 30, 0, [diary]);
        var email = PortalAuthHelpers.NewEmail();
        var emailOnly = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Edna", lastName = "Email", email, mobile = (string?)null })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var mobile = PortalAuthHelpers.NewMobile();
        var phoneOnly = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var edna = await PageAsync(biz, await BookAsync(biz, emailOnly, diary, service, "2027-11-10T10:00:00+11:00"));
        var link = edna.QuerySelector("#client-email a")!;
        Assert.Equal($"mailto:{email}", link.GetAttribute("href"));
        Assert.Equal(email, link.TextContent);
        Assert.Equal("—", edna.GetElementById("client-mobile")!.TextContent.Trim());

        var pia = await PageAsync(biz, await BookAsync(biz, phoneOnly, diary, service, "2027-11-10T11:00:00+11:00"));
        Assert.Equal("—", pia.GetElementById("client-email")!.TextContent.Trim());
        Assert.Equal($"tel:{mobile}", pia.QuerySelector("#client-mobile a")!.GetAttribute("href"));
    }

    private static async Task<Guid> BookAsync(TestBusiness biz, Guid clientId, Guid diary, Guid service, string start) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId, serviceId = service, diaryId = diary, start, petId = (Guid?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> PageAsync(TestBusiness biz, Guid id) =>
        await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri($"/staff/diary/appointments/{id}", UriKind.Relative)));
}
