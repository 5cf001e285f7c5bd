using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using MimeKit;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The client emails say only what the portal lets the client do now (the business's access levels, the portal on or
/// off): with the list off but cancelling on, the confirmation links the appointment's own cancel page, which works for
/// the signed-in client and afterwards says the appointment is already cancelled; with nothing on, the emails point to
/// the business; the approval email ends with the business's contact as the others do. Real handlers, real SMTP.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class PortalAccessEmailTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Phone = "02 9876 5432";
    private const string PhoneShown = "(02) 9876 5432";

    private BookingApp App => fixture.App;

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    private static string Text(MimeMessage message) => message.TextBody!.ReplaceLineEndings("\n");

    private async Task<string> EmailOfAsync(TestBusiness biz, Guid clientId) =>
        (await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/clients/{clientId}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
        .GetProperty("email").GetString()!;

    private static Task Levels(TestBusiness biz, bool view, bool book, bool cancel, bool enabled = true) =>
        biz.SettingsAsync(s =>
        {
            s["enabled"] = enabled;
            s["accessLevels"] = new JsonObject { ["view"] = view, ["book"] = book, ["cancel"] = cancel };
        });

    [Fact]
    public async Task With_the_list_off_and_cancelling_on_the_confirmation_links_the_cancel_page_which_cancels_and_then_says_it_is_already_cancelled()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        await Levels(b.Biz, view: false, book: true, cancel: true);
        var client = await App.RegisterClientAsync(b.Biz, "Vera");
        var email = await EmailOfAsync(b.Biz, client.Id);
        var id = (await (await client.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var confirmation = Assert.Single(await MailAsync(email));
        var text = Text(confirmation);
        var link = $"https://booking.test/ol/cancel?name={slug}&id={id}";
        Assert.Contains($"The attached calendar file adds it to your calendar.\n\nTo cancel it, visit {link}\n\nQuestions? Contact Business {slug}.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("See your appointments", text, StringComparison.Ordinal);
        Assert.DoesNotContain("view or change", text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{WebUtility.HtmlEncode(link)}\">", confirmation.HtmlBody, StringComparison.Ordinal);

        // Signed out, the link asks for sign-in and comes back to the appointment.
        var path = new Uri(link).PathAndQuery;
        var signedOut = await App.NewClient().GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        var signIn = signedOut.Headers.Location!.OriginalString;
        Assert.StartsWith($"/ol/sign-in?name={slug}&returnUrl=", signIn, StringComparison.Ordinal);
        Assert.Equal(path, Uri.UnescapeDataString(signIn.Split("returnUrl=")[1]));

        // Signed in, with the list switched off, the page offers the cancel; it cancels.
        var page = await client.Http.PageAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Cancel appointment", page.One("main form button[type=submit]")?.TextContent.Trim());
        var posted = await client.Http.SubmitAsync(page, PortalHtml.Fields(("Input.Reason", "Plans changed")), "main form");
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        var told = await client.Http.PageAsync(posted.Response.Headers.Location!.OriginalString);
        Assert.Contains("Your appointment is cancelled.", told.Text, StringComparison.Ordinal);
        Assert.Equal("cancelled", (await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={slug}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());

        // The link opened again: the page says it is already cancelled (no form, no error).
        var again = await client.Http.PageAsync(path);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("This appointment is already cancelled.", again.Text, StringComparison.Ordinal);
        Assert.Null(again.One("main form"));
        Assert.DoesNotContain("could not find", again.Text, StringComparison.Ordinal);

        // Booking is on: the cancellation email invites booking again online.
        var cancelled = Assert.Single(await MailAsync(email, 2), m => m.Subject!.EndsWith("is cancelled", StringComparison.Ordinal));
        Assert.Contains($"To book again, visit https://booking.test/ol/book?name={slug}", Text(cancelled), StringComparison.Ordinal);
    }

    /// <summary>
    /// Booked already inside the cancellation window: where the business refuses online cancellation then, the
    /// confirmation does not offer the cancel page (it would only say it is too late) but names the business's contact;
    /// where it takes requests, the client may ask to cancel there. Outside the window the link stays (the test above).
    /// </summary>
    [Fact]
    public async Task Inside_the_window_the_confirmation_names_the_contact_where_cancelling_is_refused_and_offers_a_request_where_it_is_taken()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        var desk = $"desk-{Guid.NewGuid():N}@business.example";
        await b.Biz.SettingsAsync(s =>
        {
            s["contact"] = new JsonObject { ["phone"] = Phone, ["email"] = desk };
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 720, ["text"] = "A month's notice, please.", ["insideWindow"] = "refuse" };
        });
        var client = await App.RegisterClientAsync(b.Biz, "Wendy");
        var email = await EmailOfAsync(b.Biz, client.Id);

        await (await client.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Created);
        var refused = Text(Assert.Single(await MailAsync(email)));
        Assert.Contains($"See your appointments at https://booking.test/ol/appointments?name={slug}\n\nTo change or cancel it, contact Business {slug} on {PhoneShown} or at {desk}.", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("/ol/cancel", refused, StringComparison.Ordinal);

        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 720, ["text"] = "A month's notice, please.", ["insideWindow"] = "request" });
        var id = (await (await client.BookAsync(b, At(Day(6), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var request = Text(Assert.Single(await MailAsync(email, 2), m => !m.TextBody!.Contains("To change or cancel it", StringComparison.Ordinal)));
        Assert.Contains($"You can ask to cancel it at https://booking.test/ol/cancel?name={slug}&id={id}\n\nQuestions? Contact Business {slug}", request, StringComparison.Ordinal);
    }

    /// <summary>
    /// "See your appointments at …" leads to the client's appointments page, not the booking page (decision 241): signed
    /// out, it asks for sign-in and comes back there; signed in, it lists the appointment. The footer keeps the portal's
    /// address.
    /// </summary>
    [Fact]
    public async Task See_your_appointments_links_the_client_s_appointments_page_which_asks_for_sign_in_and_comes_back()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        var client = await App.RegisterClientAsync(b.Biz, "Ida");
        var email = await EmailOfAsync(b.Biz, client.Id);
        var id = (await (await client.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var confirmation = Assert.Single(await MailAsync(email));
        var list = $"https://booking.test/ol/appointments?name={slug}";
        var text = Text(confirmation);
        Assert.Contains($"The attached calendar file adds it to your calendar.\n\nSee your appointments at {list}\nTo cancel it, visit ", text, StringComparison.Ordinal);
        Assert.Contains($"See your appointments at <a href=\"{WebUtility.HtmlEncode(list)}\">{WebUtility.HtmlEncode(list)}</a>", confirmation.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"\nhttps://booking.test/ol/book?name={slug}\n", text, StringComparison.Ordinal); // the footer's portal address

        var path = new Uri(list).PathAndQuery;
        var signedOut = await App.NewClient().GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        var signIn = signedOut.Headers.Location!.OriginalString;
        Assert.StartsWith($"/ol/sign-in?name={slug}&returnUrl=", signIn, StringComparison.Ordinal);
        Assert.Equal(path, Uri.UnescapeDataString(signIn.Split("returnUrl=")[1]));
        var page = await client.Http.PageAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.One($"#appointment-{id}"));
    }

    /// <summary>
    /// The receipt of a cancellation request (filed inside the window) says the client may withdraw it and links the
    /// appointment's cancel page, whose "Keep my appointment" does it (decision 228); with cancelling off, the business.
    /// </summary>
    [Fact]
    public async Task The_cancellation_request_receipt_links_the_page_that_withdraws_it_and_names_the_business_with_cancelling_off()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 720, ["text"] = "A month's notice, please.", ["insideWindow"] = "request" });
        var client = await App.RegisterClientAsync(b.Biz, "Nell");
        var email = await EmailOfAsync(b.Biz, client.Id);
        var id = (await (await client.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await client.Http.CancelAsync(slug, id, "Moving house")).JsonAsync(HttpStatusCode.Accepted);

        var subject = $"Business {slug} received your cancellation request";
        var receipt = Assert.Single(await MailAsync(email, 2), m => m.Subject == subject);
        var link = $"https://booking.test/ol/cancel?name={slug}&id={id}";
        Assert.Contains($"The appointment stands until the business decides; we will email you then.\n\nChanged your mind? You can withdraw your request and keep the appointment at {link}\n\nQuestions? Contact Business {slug}.",
            Text(receipt), StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{WebUtility.HtmlEncode(link)}\">", receipt.HtmlBody, StringComparison.Ordinal);

        // The link's page withdraws it: "Keep my appointment"; the appointment stands.
        var page = await client.Http.PageAsync(new Uri(link).PathAndQuery);
        Assert.Equal("Keep my appointment", page.One("#keep")!.TextContent.Trim());
        var kept = await client.Http.SubmitAsync(page, new Dictionary<string, string>(), "#cancellation-request form");
        Assert.Equal(HttpStatusCode.Redirect, kept.Status);
        Assert.Equal("confirmed", (await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={slug}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());

        // Cancelling switched off since: the receipt names the business instead of the page.
        await Levels(b.Biz, view: true, book: true, cancel: false);
        var start = DateTimeOffset.Parse(At(Day(6), 10), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime(); // UTC, as events carry them
        NotificationsTestApp.Deliver(App, new Booking.Appointments.Contracts.CancellationRequested(
            Guid.NewGuid(), b.Biz.Id, Guid.NewGuid(), client.Id, b.DiaryId, b.ServiceId, start, start.AddHours(1), Booking.Appointments.Contracts.ChangeSources.Portal, "Sick"));
        var second = await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email).Where(m => m.Subject == subject).ToList()),
            m => m.Count >= 2, TimeSpan.FromSeconds(60), "the second receipt");
        var offline = Text(Assert.Single(second, m => m.MessageId != receipt.MessageId));
        Assert.Contains($"we will email you then.\n\nChanged your mind? To withdraw your request and keep the appointment, contact Business {slug}.\n\n--", offline, StringComparison.Ordinal);
        Assert.DoesNotContain("/ol/cancel", offline, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_nothing_to_do_at_the_portal_the_emails_point_to_the_business(bool portalOn)
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        var desk = $"desk-{Guid.NewGuid():N}@business.example";
        await b.Biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = Phone, ["email"] = desk });
        var client = await App.RegisterClientAsync(b.Biz, "Olly");
        var email = await EmailOfAsync(b.Biz, client.Id);
        // Every level off with the portal on; or the portal off (levels on, which then count for nothing).
        await Levels(b.Biz, view: !portalOn, book: !portalOn, cancel: !portalOn, enabled: portalOn);

        var id = (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = client.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(4), 11) })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var confirmation = Assert.Single(await MailAsync(email));
        var business = $"Business {slug} on {PhoneShown} or at {desk}";
        var text = Text(confirmation);
        Assert.Contains($"The attached calendar file adds it to your calendar.\n\nTo change or cancel it, contact {business}.\n\n--", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/ol/cancel", text, StringComparison.Ordinal);
        Assert.DoesNotContain("See your appointments", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Questions?", text, StringComparison.Ordinal); // the closing says how to reach the business already

        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{id}/cancel", new { reason = "Diary change" })).JsonAsync(HttpStatusCode.OK);
        var cancelled = Assert.Single(await MailAsync(email, 2), m => m.Subject!.EndsWith("is cancelled", StringComparison.Ordinal));
        Assert.Contains($"Reason: Diary change\n\nTo book again, contact {business}.", Text(cancelled), StringComparison.Ordinal);
        Assert.DoesNotContain("visit", Text(cancelled), StringComparison.Ordinal);

        // A switched-off portal is not offered in the footer either; a portal that is on keeps its address there.
        foreach (var mail in new[] { confirmation, cancelled })
        {
            Assert.Equal(portalOn, Text(mail).Contains($"/ol/book?name={slug}", StringComparison.Ordinal));
            Assert.Equal(portalOn, mail.HtmlBody!.Contains($"/ol/book?name={slug}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_approval_email_ends_with_the_business_contact_and_its_brackets_go_when_it_gave_none()
    {
        var withContact = await App.BookableAsync();
        var desk = $"desk-{Guid.NewGuid():N}@business.example";
        await withContact.Biz.SettingsAsync(s =>
        {
            s["newClientsNeedApproval"] = true;
            s["contact"] = new JsonObject { ["phone"] = Phone, ["email"] = desk };
        });
        var without = await App.BookableAsync();
        await without.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);

        async Task<string> ApprovedTextAsync(Bookable b)
        {
            var client = await App.RegisterClientAsync(b.Biz, "Nina");
            var email = await EmailOfAsync(b.Biz, client.Id);
            await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{client.Id}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
            var mail = Assert.Single(await MailAsync(email));
            Assert.Equal($"You can now book directly with Business {b.Biz.Slug}", mail.Subject);
            return Text(mail);
        }

        var text = await ApprovedTextAsync(withContact);
        Assert.Contains(
            $"no request to wait on.\n\nTo book, visit https://booking.test/ol/book?name={withContact.Biz.Slug}\n\nQuestions? Contact Business {withContact.Biz.Slug} on {PhoneShown} or at {desk}.\n\n--",
            text, StringComparison.Ordinal);

        text = await ApprovedTextAsync(without);
        Assert.Contains($"\n\nQuestions? Contact Business {without.Biz.Slug}.\n\n--", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_request_received_email_links_the_request_where_the_client_may_withdraw_it(bool cancelOn)
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        await Levels(b.Biz, view: false, book: true, cancel: cancelOn);
        var client = await App.RegisterClientAsync(b.Biz, "Rhea");
        var email = await EmailOfAsync(b.Biz, client.Id);
        var booked = (await (await client.BookAsync(b, At(Day(6), 10))).JsonAsync(HttpStatusCode.Created));
        Assert.Equal("requested", booked.GetProperty("status").GetString());
        var id = booked.GetProperty("id").GetGuid();

        var received = Assert.Single(await MailAsync(email));
        Assert.Equal($"Business {slug} received your booking request", received.Subject);
        var text = Text(received);
        var link = $"https://booking.test/ol/cancel?name={slug}&id={id}";
        if (!cancelOn)
        {
            Assert.DoesNotContain("/ol/cancel", text, StringComparison.Ordinal);
            Assert.Contains($"when the business has decided.\n\nQuestions? Contact Business {slug}.", text, StringComparison.Ordinal);
            return;
        }

        Assert.Contains($"when the business has decided.\n\nTo withdraw it, visit {link}\n\nQuestions? Contact Business {slug}.", text, StringComparison.Ordinal);
        var page = await client.Http.PageAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var posted = await client.Http.SubmitAsync(page, PortalHtml.Fields(("Input.Reason", "Found another time")), "main form");
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.Equal("cancelled", (await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={slug}", UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Single(await MailAsync(email, 2), m => m.Subject == $"You withdrew your booking request to Business {slug}");
    }
}
