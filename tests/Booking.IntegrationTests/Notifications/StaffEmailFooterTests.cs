using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Features.Templates;
using Booking.Notifications.Rendering;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Decision 265, what decision 259 left: the template preview ends as the email its reader gets (a diary's contact, an
/// extra address: no template goes to a client); a booking request staff cancelled ends "Questions? Contact …" as the
/// other client emails; an address's confirmation names the business's phone and email under its name, without the
/// client's "Questions?". Real modules through the HTTP API and pages, real PostgreSQL, real SMTP on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class StaffEmailFooterTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Phone = "02 9999 0000";
    private const string PhoneShown = "(02) 9999 0000";

    private static string NewAddress(string who) => $"{who}-{Guid.NewGuid().ToString("N")[..8]}@example.com";

    private static string Text(MimeMessage m) => m.TextBody!.ReplaceLineEndings("\n");

    /// <summary>What follows the text's "--" line: the footer.</summary>
    private static string Footer(string text) => text[(text.LastIndexOf("\n--\n", StringComparison.Ordinal) + 4)..];

    private async Task<MimeMessage> OneMailAsync(string to, Func<MimeMessage, bool> which, string what)
    {
        var mails = (await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Any(which), TimeSpan.FromSeconds(60), what))
            .Where(which).ToList();
        Assert.True(mails.Count == 1, $"one {what}, not {mails.Count}");
        return mails[0];
    }

    private static object Settings(string[] extras, Guid? extraTemplate = null) => new
    {
        notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
        notifyDiaryContactOnCancelled = new { enabled = true, templateId = (Guid?)null },
        extraAddressesOnNew = new { addresses = extras, templateId = extraTemplate },
        includeStaffChanges = false,
    };

    /// <summary>A business with a phone and email for clients; its front desk's address.</summary>
    private async Task<(TestBusiness Biz, string Desk)> BusinessAsync(string prefix, bool approval = false)
    {
        var biz = await fixture.App.SignUpBusinessAsync(prefix);
        var desk = NewAddress("desk");
        await biz.SettingsAsync(x =>
        {
            x["newClientsNeedApproval"] = approval;
            x["contact"] = new JsonObject { ["phone"] = Phone, ["email"] = desk };
        });
        return (biz, desk);
    }

    private static void AssertNoClientFooter(string footer, TestBusiness biz, string desk)
    {
        Assert.DoesNotContain("Phone: ", footer, StringComparison.Ordinal);
        Assert.DoesNotContain(desk, footer, StringComparison.Ordinal);
        Assert.DoesNotContain($"/ol/book?name={biz.Slug}", footer, StringComparison.Ordinal);
        Assert.DoesNotContain("Questions?", footer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_template_preview_ends_as_the_diary_contact_s_email_does_not_as_a_client_s()
    {
        var (biz, desk) = await BusinessAsync("pvcontact");
        var gina = NewAddress("gina");
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = gina, active = true })).JsonAsync(HttpStatusCode.Created);
        var business = $"Business {biz.Slug}";
        var contactFooter = $"{business}\nYou get this as the contact email of the diary Dr Lee at {business} (Setup → Roster).\n\n"
            + $"Stop these emails to {gina}: https://booking.test/staff/unsubscribe?name={biz.Slug}&token=sample";

        // No notification named: the diary contact's new-appointment email, the one every template can be chosen for.
        foreach (var notification in new[] { null, PreviewNotifications.DiaryContactOnNew, PreviewNotifications.DiaryContactOnCancelled })
        {
            var preview = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview",
                new { subject = "New: {ClientFullName}", body = "{ClientFullName} booked {ServiceName}.", notification })).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(notification ?? PreviewNotifications.DiaryContactOnNew, preview.GetProperty("notification").GetString());
            var footer = Footer(preview.GetProperty("text").GetString()!.ReplaceLineEndings("\n"));
            Assert.Equal(contactFooter, footer.TrimEnd());
            AssertNoClientFooter(footer, biz, desk);
            var html = preview.GetProperty("html").GetString()!;
            Assert.Contains("data-role=\"footer-reason\"", html, StringComparison.Ordinal);
            Assert.Contains("data-role=\"unsubscribe\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("data-role=\"business-contact\"", html, StringComparison.Ordinal);
        }

        // A notification that is none of them: validation naming the field, no preview.
        var bad = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview",
            new { subject = "S", body = "B", notification = "client-booking-confirmation" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation", bad.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.StartsWith("Choose which notification's email to show", bad.GetProperty("errors").GetProperty("notification")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_communication_page_previews_a_template_chosen_for_the_extra_addresses_with_their_footer()
    {
        var (biz, desk) = await BusinessAsync("pvextra");
        var front = NewAddress("front");
        await fixture.App.ConfirmAddressesAsync(biz.Id, front);
        var template = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates",
            new { name = "Front desk", subject = "New booking: {ClientFullName}", body = "{ClientFullName} booked {ServiceName}." })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings([front], template))).JsonAsync(HttpStatusCode.OK);

        // Opened, the preview is for the notification that sends it, and the choice is a labelled field.
        var editor = await biz.Owner.PageAsync($"/staff/tools/communication?id={template}");
        var select = editor.One("select[name=PreviewFor]") as IHtmlSelectElement;
        Assert.NotNull(select);
        Assert.Equal(PreviewNotifications.ExtraAddressesOnNew, select!.Value);
        Assert.Equal("Show the email as sent by", editor.One($"label[for={select.Id}]")?.TextContent.Trim());

        var preview = await PreviewAsync(biz.Owner, editor);
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        var text = preview.One("[data-preview-text]")!.TextContent.ReplaceLineEndings("\n");
        Assert.StartsWith("Jane Citizen booked Sample service.", text, StringComparison.Ordinal);
        var footer = Footer(text);
        Assert.StartsWith($"Business {biz.Slug}\nYou get this as an extra address for booking emails from Business {biz.Slug} (Setup → Client Portal).\n\n"
            + $"Stop these emails to {front}: ", footer, StringComparison.Ordinal);
        AssertNoClientFooter(footer, biz, desk);
        Assert.Equal(PreviewNotifications.ExtraAddressesOnNew, (preview.One("select[name=PreviewFor]") as IHtmlSelectElement)?.Value);

        // Another choice on the page: the diary contact's footer (the business has no diary: a sample one and address).
        var asContact = await PreviewAsync(biz.Owner, editor, PreviewNotifications.DiaryContactOnCancelled);
        Assert.StartsWith($"Business {biz.Slug}\nYou get this as the contact email of the diary Sample diary at Business {biz.Slug} (Setup → Roster).\n\n"
            + $"Stop these emails to {PreviewTemplateHandler.SampleContactAddress}: ",
            Footer(asContact.One("[data-preview-text]")!.TextContent.ReplaceLineEndings("\n")), StringComparison.Ordinal);

        // A value the page never offers: said in the page's words next to the field, no preview.
        var refused = await PreviewAsync(biz.Owner, editor, "anything");
        Assert.Equal("Choose which notification's email to preview.", refused.One("#preview-for-error")?.TextContent.Trim());
        Assert.Equal("", refused.One("[data-preview-text]")!.TextContent.Trim());
    }

    /// <summary>The editor's Preview button, with the form's values as a browser sends them (the select's included).</summary>
    private static async Task<HtmlPage> PreviewAsync(HttpClient http, HtmlPage page, string? previewFor = null)
    {
        var button = page.All("button[type=submit]").Single(b => b.TextContent.Trim() == "Preview");
        var form = (IHtmlFormElement)button.Closest("form")!;
        var replaced = previewFor is null ? new HashSet<string>() : new HashSet<string> { "PreviewFor" };
        var values = PortalHtml.FormValues(form, replaced);
        if (previewFor is not null)
        {
            values.Add(new("PreviewFor", previewFor));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(WebUtility.HtmlDecode(button.GetAttribute("formaction")!), UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(values),
        };
        return await PortalHtml.ReadAsync(await http.SendAsync(request));
    }

    [Fact]
    public async Task A_booking_request_staff_cancelled_ends_with_how_to_reach_the_business()
    {
        var (biz, desk) = await BusinessAsync("reqcancel", approval: true);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = NewAddress("lee"), active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Consultation", 30, 0, [diary]);
        var http = fixture.App.NewClient();
        var client = NewAddress("client");
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Pat", lastName = "Client", email = client, password = "a long client password 2026!" })).JsonAsync(HttpStatusCode.Created);
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(3).AddHours(1), TimeSpan.Zero);
        var requested = await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());

        // Staff cancel the request from the diary: the client's email says so and how to reach the business, once.
        await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{requested.GetProperty("id").GetGuid()}/cancel", new { reason = "Closed that day" }))
            .JsonAsync(HttpStatusCode.OK);
        var mail = Text(await OneMailAsync(client, m => m.Subject == $"Business {biz.Slug} cancelled your booking request", "the request's cancellation"));
        var contact = $"Questions? Contact Business {biz.Slug} on {PhoneShown} or at {desk}.";
        Assert.Contains($"Reason: Closed that day\n\nNothing was booked. To choose another time, visit https://booking.test/ol/book?name={biz.Slug}\n\n{contact}\n\n--\n",
            mail, StringComparison.Ordinal);
        Assert.Equal(2, mail.Split(contact).Length);
    }

    [Fact]
    public void Every_client_text_that_leaves_something_to_take_up_names_the_business_s_contact_once()
    {
        var look = new BusinessLook("Demo", "demo", "Australia/Sydney", "#334155", null, "https://booking.test/ol/book?name=demo", Phone: "(02) 9999 0000", Email: "hello@demo.example");
        const string contact = "{BusinessName} on {BusinessPhone} or at {BusinessEmail}";
        foreach (var (name, body) in new[]
                 {
                     (nameof(ClientTexts.BookingRequestCancelled), ClientTexts.BookingRequestCancelled.Body),
                     (nameof(ClientTexts.BookingRequestWithdrawn), ClientTexts.BookingRequestWithdrawn.Body),
                     (nameof(ClientTexts.MobileClaimRemoved), ClientTexts.MobileClaimRemoved.Body),
                 })
        {
            var expanded = PortalClosings.Expand(body, look);
            Assert.True(expanded.EndsWith("\n\nQuestions? Contact " + contact + ".", StringComparison.Ordinal), $"{name} ends: {expanded[^120..]}");
            Assert.Equal(2, expanded.Split(contact).Length);
        }
    }

    [Fact]
    public async Task An_address_s_confirmation_names_the_business_s_phone_and_email_without_the_client_s_questions_line()
    {
        var (biz, desk) = await BusinessAsync("confirmfooter");
        var business = $"Business {biz.Slug}";
        var expected = $"{business}\nPhone: {PhoneShown}\nEmail: {desk}\nYou get this because {business} entered this address for its booking emails.";

        // As an extra address, and as a diary's contact: the same footer, in text and HTML.
        var extra = NewAddress("extra");
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings([extra]))).JsonAsync(HttpStatusCode.OK);
        var contact = NewAddress("contact");
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = contact, active = true })).JsonAsync(HttpStatusCode.Created);
        foreach (var to in new[] { extra, contact })
        {
            var mail = await OneMailAsync(to, m => m.Subject == $"Do you want booking emails from {business}?", "the address's confirmation");
            var text = Text(mail);
            Assert.Equal(expected, Footer(text).TrimEnd());
            Assert.DoesNotContain("Questions?", text, StringComparison.Ordinal);
            Assert.DoesNotContain($"/ol/book?name={biz.Slug}", text, StringComparison.Ordinal);
            Assert.Contains($"Phone: {PhoneShown}", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains($"Email: {desk}", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("data-role=\"business-contact\"", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("data-role=\"footer-reason\"", mail.HtmlBody, StringComparison.Ordinal);
        }
    }
}
