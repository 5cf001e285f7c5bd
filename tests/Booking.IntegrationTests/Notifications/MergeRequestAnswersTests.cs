using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Decision 340, on the whole app with a real SMTP server and the development SMS sink. (1) Review s40 #3: a phone
/// client's waiting request, whose receipt text said "you will get a text when they have decided", is still answered by
/// text after staff merge the phone record into an email client (the email goes too), and the Merge page says where the
/// answer goes. (2) Review s40 #10: the Merge page and the API replace the kept record's unconfirmed mobile with the
/// merged-away record's proven one in the merge itself, with one email to the client and no "mobile removed" email.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class MergeRequestAnswersTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private NotificationsTestApp App => fixture.App;

    /// <summary>"+61412345678" as the business's pages write it: "0412 345 678".</summary>
    private static string National(string mobile) => $"0{mobile[3..6]} {mobile[6..9]} {mobile[9..]}";

    private static Task PhoneSignInOnAsync(TestBusiness biz) =>
        biz.SettingsAsync(s => s["signInMethods"] = new JsonObject { ["email"] = true, ["phone"] = true });

    private async Task<long> MobileChangedEventsAsync(TestBusiness biz) =>
        await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.outbox_messages where type like '%ClientMobileChanged%' and tenant_id = @t", ("t", biz.Id));

    [Fact]
    public async Task A_phone_clients_waiting_request_merged_into_an_email_client_is_still_answered_by_text_and_the_merge_page_says_so()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        await PhoneSignInOnAsync(b.Biz);
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);

        // Pat registered with her email and a password (never confirmed): the record kept.
        var email = PortalAuthHelpers.NewEmail();
        var keep = (await (await App.NewClient().RegisterAsync(slug, email, first: "Pat")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

        // The same Pat joined by phone, waiting for approval, and asked for a time: "you will get a text when they have decided".
        var phone = App.NewClient();
        var mobile = PortalAuthHelpers.NewMobile();
        var away = await phone.JoinByPhoneAsync(slug, mobile, "Pat");
        await Sql.AdminExecAsync(App.Database.Database, "UPDATE portalauth.clients SET status = 'pending-approval' WHERE id = @id", ("id", Guid.Parse(away)));
        var request = await (await phone.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(4), 10), petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", request.GetProperty("status").GetString());
        Assert.Contains(await phone.TextsToAsync(mobile, 2), t => t.Contains("you will get a text when they have decided", StringComparison.Ordinal));

        // The Merge page says where the answer goes: still by text, as promised, and by email too.
        var page = await b.Biz.Owner.PageAsync($"/staff/clients/{keep}/merge?with={away}");
        var answers = page.One("#merge-request-answers")!;
        Assert.Contains("has 1 request waiting for your decision", answers.TextContent, StringComparison.Ordinal);
        Assert.Contains($"After merging, the answer still goes by text to {National(mobile)}, and by email to {email} (not confirmed).", answers.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("form-error", answers.GetAttribute("class") ?? "", StringComparison.Ordinal);

        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/clients/{keep}/merge", new { mergeId = away })).JsonAsync(HttpStatusCode.OK);
        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{request.GetProperty("id").GetGuid()}/accept", UriKind.Relative), null))
            .JsonAsync(HttpStatusCode.OK);

        // The answer reaches the phone that asked (before: only the email, to an address nobody confirmed), and the email goes too.
        var texts = await phone.TextsToAsync(mobile, 3);
        Assert.StartsWith($"Business {slug} accepted your booking request: Consultation, {AppointmentTexts.When(Day(4), 10)}.", texts[0], StringComparison.Ordinal);
        var accepted = await fixture.MailAsync(email, $"Business {slug} accepted your booking request");
        Assert.Contains("Hi Pat", accepted.TextBody, StringComparison.Ordinal);
        Assert.Equal("sent", await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string?>(App.Database.Database,
                "select status from portalauth.texts where client_id = @c and kind = 'text-request-decision'", ("c", Guid.Parse(keep))),
            s => s is not null, TimeSpan.FromSeconds(30), "the decision text's record"));
    }

    /// <summary>Pat registered with an email and a mobile she never confirmed; the same Pat joined by phone with another, proven, number.</summary>
    private async Task<(TestBusiness Biz, string Keep, string Email, string OldMobile, string Away, string NewMobile)> TwoPatsAsync(string tag)
    {
        var biz = await App.SignUpBusinessAsync(tag);
        await PhoneSignInOnAsync(biz);
        var email = PortalAuthHelpers.NewEmail();
        var oldMobile = PortalAuthHelpers.NewMobile();
        var keep = (await (await App.NewClient().RegisterAsync(biz.Slug, email, mobile: oldMobile, first: "Pat")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var newMobile = PortalAuthHelpers.NewMobile();
        var away = await App.NewClient().JoinByPhoneAsync(biz.Slug, newMobile, "Pat");
        return (biz, keep, email, oldMobile, away, newMobile);
    }

    /// <summary>The one email the merge sends; after a pause, still the only email about a mobile to that address.</summary>
    private async Task OneMobileEmailAsync(TestBusiness biz, string email, string oldMobile, string newMobile)
    {
        var notice = await fixture.MailAsync(email, $"A mobile number can now sign in to your Business {biz.Slug} account");
        Assert.Contains($"that record's mobile number, ending in {newMobile[^3..]}, is now on your account in place of the number ending in {oldMobile[^3..]}, which was never confirmed with a code.",
            notice.TextBody, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(3)); // time for a second email, were one sent
        Assert.Single(fixture.Smtp.MessagesTo(email), m => m.Subject?.Contains("mobile number", StringComparison.OrdinalIgnoreCase) == true);
        Assert.Equal(0, await MobileChangedEventsAsync(biz)); // no "The mobile number on your account was removed" first
        Assert.Equal(0, (await App.NewClient().DevJsonAsync($"/dev/api/sms?to={Uri.EscapeDataString(oldMobile)}")).GetArrayLength());
    }

    [Fact]
    public async Task The_merge_api_replaces_the_kept_records_unconfirmed_mobile_with_the_proven_one_only_when_asked_and_emails_once()
    {
        var (biz, keep, email, oldMobile, away, newMobile) = await TwoPatsAsync("mergereplace");

        var refused = await biz.Owner.PostAsJsonAsync($"/api/v1/admin/clients/{keep}/merge", new { mergeId = away });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Both records have a mobile number", (await refused.JsonAsync()).GetProperty("errors").GetProperty("mobile")[0].GetString(), StringComparison.Ordinal);

        var merged = await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/clients/{keep}/merge", new { mergeId = away, replaceMobile = true })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(newMobile, merged.GetProperty("mobile").GetString());
        Assert.True(merged.GetProperty("mobileProven").GetBoolean());
        Assert.Equal(email, merged.GetProperty("email").GetString());
        await OneMobileEmailAsync(biz, email, oldMobile, newMobile);

        // A confirmed kept mobile is not replaced: the refusal stands (it is a way in someone proved).
        var (biz2, keep2, _, _, away2, _) = await TwoPatsAsync("mergenoreplace");
        await Sql.AdminExecAsync(App.Database.Database, "UPDATE portalauth.clients SET mobile_verified = true WHERE id = @id", ("id", Guid.Parse(keep2)));
        Assert.Equal(HttpStatusCode.BadRequest, (await biz2.Owner.PostAsJsonAsync($"/api/v1/admin/clients/{keep2}/merge", new { mergeId = away2, replaceMobile = true })).StatusCode);
        Assert.Null((await biz2.Owner.PageAsync($"/staff/clients/{keep2}/merge?with={away2}")).One("#merge-replace-mobile"));
    }

    [Fact]
    public async Task The_merge_page_offers_replacing_the_unconfirmed_mobile_in_one_step_with_one_email()
    {
        var (biz, keep, email, oldMobile, away, newMobile) = await TwoPatsAsync("mergereplacepage");

        var refused = await biz.Owner.PageAsync($"/staff/clients/{keep}/merge?with={away}");
        Assert.NotNull(refused.One("#merge-refused"));
        Assert.Null(refused.One("#merge-confirm"));
        var offer = refused.One("#merge-replace-mobile")!;
        Assert.Equal("Replace the unconfirmed mobile with the proven one", offer.TextContent.Trim());

        var page = await biz.Owner.PageAsync(offer.GetAttribute("href")!);
        Assert.Null(page.One("#merge-refused"));
        var replaces = page.One("#merge-replaces-mobile")!.TextContent;
        Assert.Contains($"mobile {National(oldMobile)}, which nobody confirmed with a code, is replaced by {National(newMobile)}.", replaces, StringComparison.Ordinal);
        Assert.Contains("the one email below says so", replaces, StringComparison.Ordinal);
        Assert.Contains("Nobody is texted; only the email below goes.", page.One("#merge-effects")!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/staff/clients/{keep}/merge?with={away}", page.One("#merge-keep-mobile")!.GetAttribute("href"));

        var done = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(), "#merge-form");
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        Assert.Equal($"/staff/clients/{keep}", done.Response.Headers.Location!.OriginalString);
        var kept = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{keep}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(newMobile, kept.GetProperty("mobile").GetString());
        await OneMobileEmailAsync(biz, email, oldMobile, newMobile);
    }
}
