using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Decision 292: a client's other phone (a landline; no texts). Staff record a client who has only a landline; the
/// number is any valid type, kept as E.164, never the mobile (no sign-in, no texts); left out of a PUT it is kept, blank
/// removes it; a bad one is a field error and nothing is written. A landline typed as the mobile is refused with words
/// pointing to the other phone. The client page and the diary's appointment page offer it as a tap-to-call link.
/// </summary>
public sealed class OtherPhoneTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    /// <summary>A Sydney landline (libphonenumber's FIXED_LINE for AU), as typed locally, and as E.164.</summary>
    private const string Landline = "02 9374 4000", LandlineE164 = "+61293744000";

    private BookingApp App => fixture.App;

    private static Uri Clients(string rest = "") => new("/api/v1/admin/clients" + rest, UriKind.Relative);

    [Fact]
    public async Task A_client_with_only_a_landline_is_recorded_kept_on_a_put_that_leaves_it_out_and_removed_when_blank()
    {
        var biz = await App.SignUpBusinessAsync();
        var added = await (await biz.Owner.PostAsJsonAsync(Clients(), new { firstName = "Lan", lastName = "Line", otherPhone = Landline })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(LandlineE164, added.GetProperty("otherPhone").GetString());
        Assert.Equal(JsonValueKind.Null, added.GetProperty("mobile").ValueKind); // never the mobile: no sign-in, no texts
        Assert.False(added.GetProperty("mobileVerified").GetBoolean());
        var id = added.GetProperty("id").GetGuid();
        Assert.Equal(LandlineE164, (await (await biz.Owner.GetAsync(Clients($"/{id}"))).JsonAsync(HttpStatusCode.OK)).GetProperty("otherPhone").GetString());

        // The front desk finds the caller by the number as they say it, or its start as shown (decision 293).
        foreach (var typed in new[] { "9374 4000", "02 9374", "+61 2 9374 4000" })
        {
            var found = await (await biz.Owner.GetAsync(Clients($"?search={Uri.EscapeDataString(typed)}"))).JsonAsync(HttpStatusCode.OK);
            Assert.Equal([id], found.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToArray());
        }

        // A PUT from a caller that does not know the field keeps it, and the stored number is the client's way to be
        // reached: no email or mobile needed (decision 293; the rule once read the left-out field as none).
        var renamed = await (await biz.Owner.PutAsJsonAsync(Clients($"/{id}"), new { firstName = "Lana", lastName = "Line" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Lana", LandlineE164), (renamed.GetProperty("firstName").GetString(), renamed.GetProperty("otherPhone").GetString()));
        // Removing it with nothing else is still refused.
        var nothing = await (await biz.Owner.PutAsJsonAsync(Clients($"/{id}"), new { firstName = "Lana", lastName = "Line", otherPhone = "" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(nothing.GetProperty("errors").TryGetProperty("mobile", out _));

        // With an email now, as the old rule asked.
        var email = PortalAuthHelpers.NewEmail();
        var kept = await (await biz.Owner.PutAsJsonAsync(Clients($"/{id}"), new { firstName = "Lan", lastName = "Line", email })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(LandlineE164, kept.GetProperty("otherPhone").GetString());

        // Any valid type: a mobile number as the other phone is just a number to call.
        var mobile = PortalAuthHelpers.NewMobile();
        var changed = await (await biz.Owner.PutAsJsonAsync(Clients($"/{id}"), new { firstName = "Lan", lastName = "Line", email, otherPhone = mobile })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(mobile, changed.GetProperty("otherPhone").GetString());
        Assert.Equal(JsonValueKind.Null, changed.GetProperty("mobile").ValueKind);

        // Not a number: 400 on otherPhone, nothing written.
        var bad = await biz.Owner.PutAsJsonAsync(Clients($"/{id}"), new { firstName = "Changed", lastName = "Line", email, otherPhone = "12" });
        var problem = await bad.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["otherPhone"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToArray());
        Assert.Equal("Enter a valid phone number.", problem.GetProperty("errors").GetProperty("otherPhone")[0].GetString());
        var after = await (await biz.Owner.GetAsync(Clients($"/{id}"))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Lan", mobile), (after.GetProperty("firstName").GetString(), after.GetProperty("otherPhone").GetString()));

        var removed = await (await biz.Owner.PutAsJsonAsync(Clients($"/{id}"), new { firstName = "Lan", lastName = "Line", email, otherPhone = "" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("otherPhone").ValueKind);

        // No way to reach them at all is still refused, naming the other phone among the ways.
        var none = await (await biz.Owner.PostAsJsonAsync(Clients(), new { firstName = "No", lastName = "Way" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Give the client's email address, mobile number or other phone (at least one).", none.GetProperty("errors").GetProperty("mobile")[0].GetString());
    }

    [Fact]
    public async Task A_landline_typed_as_the_mobile_is_pointed_to_the_other_phone_in_the_api_and_on_the_page()
    {
        var biz = await App.SignUpBusinessAsync();
        var refused = await (await biz.Owner.PostAsJsonAsync(Clients(), new { firstName = "Lan", lastName = "Line", mobile = Landline })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("That looks like a landline. Texts go only to mobiles, so enter it as the other phone (landline; no texts), or enter a mobile number here.",
            refused.GetProperty("errors").GetProperty("mobile")[0].GetString());

        var list = await biz.Owner.PageAsync("/staff/clients");
        var failed = await biz.Owner.SubmitAsync(list, PortalHtml.Fields(("Input.FirstName", "Lan"), ("Input.LastName", "Line"), ("Input.Mobile", Landline)), "form[action*='handler=Add']");
        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Contains("enter it as the other phone (landline; no texts)", failed.One("#c-mobile-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Other phone (landline; no texts)", failed.One("label[for='Input_OtherPhone']")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_staff_pages_record_the_other_phone_and_offer_it_to_call_on_the_client_and_appointment_pages()
    {
        var biz = await App.SignUpBusinessAsync();
        var list = await biz.Owner.PageAsync("/staff/clients");
        var added = await biz.Owner.SubmitAsync(list, PortalHtml.Fields(("Input.FirstName", "Lan"), ("Input.LastName", "Line"), ("Input.OtherPhone", Landline)),
            "form[action*='handler=Add']");
        Assert.Equal(HttpStatusCode.Redirect, added.Status);
        var detailUrl = added.Response.Headers.Location!.OriginalString;

        var detail = await biz.Owner.PageAsync(detailUrl);
        Assert.Equal("tel:" + LandlineE164, detail.One("#other-phone a")?.GetAttribute("href"));
        // As the business's country writes it, on the page and in the edit form (read back as the same E.164).
        Assert.Equal("(02) 9374 4000", detail.One("#other-phone a")?.TextContent.Trim());
        Assert.Equal("(02) 9374 4000", detail.One("form[action*='handler=Save'] [name='Input.OtherPhone']")?.GetAttribute("value"));

        // The edit form sends it always: emptied, it is removed (with an email given, so the client stays reachable).
        var email = PortalAuthHelpers.NewEmail();
        var saved = await biz.Owner.SubmitAsync(detail, PortalHtml.Fields(("Input.Email", email), ("Input.OtherPhone", "")), "form[action*='handler=Save']");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal("—", (await biz.Owner.PageAsync(detailUrl)).One("#other-phone")?.TextContent.Trim());

        // Back on file, the diary's appointment page offers it beside the email and mobile.
        var again = await biz.Owner.PageAsync(detailUrl);
        Assert.Equal(HttpStatusCode.Redirect, (await biz.Owner.SubmitAsync(again, PortalHtml.Fields(("Input.OtherPhone", Landline)), "form[action*='handler=Save']")).Status);
        var clientId = Guid.Parse(detailUrl.Split('/')[^1]);
        var diary = await biz.DiaryAsync("Dr Alpha");
        await biz.RosterEveryDayAsync(diary, "09:00", "17:00");
        var service = await biz.ServiceAsync("Consultation", 60, 0, [diary]);
        var appointment = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId, serviceId = service, diaryId = diary, start = At(Day(3), 10), petId = (Guid?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var page = await biz.Owner.PageAsync($"/staff/diary/appointments/{appointment}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("tel:" + LandlineE164, page.One("#client-other-phone a")?.GetAttribute("href"));
        Assert.Equal("Client's other phone", page.One("#client-other-phone")?.PreviousElementSibling?.TextContent.Trim());
    }

    [Fact]
    public async Task A_landline_only_client_shows_the_other_phone_in_the_client_list_and_the_month_csv()
    {
        var biz = await App.SignUpBusinessAsync();
        var clientId = (await (await biz.Owner.PostAsJsonAsync(Clients(), new { firstName = "Lan", lastName = "Line", otherPhone = Landline }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // The list's phone column: no mobile, so the other phone, said as such, to call (decision 310).
        var list = await biz.Owner.PageAsync("/staff/clients");
        Assert.Equal("Phone", list.All("main table thead th")[2].TextContent.Trim());
        var row = list.All("main table tbody tr").Single(r => r.TextContent.Contains("Lan Line", StringComparison.Ordinal));
        Assert.Equal("tel:" + LandlineE164, row.QuerySelector(".other-phone a")?.GetAttribute("href"));
        Assert.Equal("(02) 9374 4000 (other phone)", string.Join(' ', row.QuerySelector(".other-phone")!.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));

        // The month CSV: "Client phone" is the mobile (none), "Client other phone", appended, the landline as the pages write it.
        var diary = await biz.DiaryAsync("Dr Alpha");
        await biz.RosterEveryDayAsync(diary, "09:00", "17:00");
        var service = await biz.ServiceAsync("Consultation", 60, 0, [diary]);
        var start = At(Day(3), 10);
        var appointment = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId, serviceId = service, diaryId = diary, start, petId = (Guid?)null, note = "" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var text = (await biz.Owner.GetStringAsync(new Uri($"/api/v1/admin/reports/month.csv?month={start[..7]}", UriKind.Relative))).TrimStart('\uFEFF');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal("Client other phone", header[^1]);
        var fields = lines[1..].Select(l => header.Zip(l.Split(','), (h, v) => (h, v)).ToDictionary(x => x.h, x => x.v))
            .Single(r => r["Appointment id"] == appointment.ToString());
        Assert.Equal(("", "(02) 9374 4000"), (fields["Client phone"], fields["Client other phone"]));
    }
}
