using System.Net;
using System.Text.RegularExpressions;
using Booking.BuildingBlocks.Phones;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.PortalAuth.Domain;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>The code page after wrong codes: the fifth kills the code, and the page says to ask for a new one.</summary>
public sealed class PhoneCodePageTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    [Fact]
    public async Task After_the_fifth_wrong_code_the_page_says_the_code_is_dead_and_refuses_even_the_right_code()
    {
        var biz = await fixture.App.SignUpBusinessAsync("code");
        var http = fixture.NewClient();
        var mobile = PortalAuthHelpers.NewMobile();
        await http.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), mobile: mobile);
        var browser = fixture.NewClient();
        var phone = await browser.PageAsync($"/ol/phone?name={biz.Slug}");
        var codePage = await browser.SubmitAsync(phone, PortalHtml.Fields(("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, codePage.Status);
        var codeUrl = codePage.Response.Headers.Location!.OriginalString;
        var code = await browser.CodeSentToAsync(mobile);

        var page = await browser.PageAsync(codeUrl);
        for (var i = 1; i <= 4; i++)
        {
            page = await browser.SubmitAsync(page, PortalHtml.Fields(("Input.Code", PortalAuthHelpers.WrongCode(code))));
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains($"{5 - i} {(i == 4 ? "try" : "tries")} left", page.ErrorFor("Input.Code"), StringComparison.Ordinal);
        }

        var fifth = await browser.SubmitAsync(page, PortalHtml.Fields(("Input.Code", PortalAuthHelpers.WrongCode(code))));
        Assert.Contains("no longer works", fifth.Text, StringComparison.Ordinal);
        Assert.Null(fifth.One("input[name='Input.Code']"));
        Assert.Contains(fifth.All("main a"), a => a.GetAttribute("href")!.StartsWith("/ol/phone?name=", StringComparison.Ordinal) && a.TextContent.Contains("new code", StringComparison.Ordinal));

        // The right code, posted to the same attempt (the form as it was before), is refused the same way.
        var right = await browser.SubmitAsync(page, PortalHtml.Fields(("Input.Code", code)));
        Assert.Contains("no longer works", right.Text, StringComparison.Ordinal);
        Assert.Contains("This code had too many wrong tries", right.Text, StringComparison.Ordinal); // which of the causes it was (decision 344)
        Assert.Null(right.One("#resend"));
        Assert.Null(right.One("input[name='Input.Code']"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.MeAsync(biz.Slug)).StatusCode);
    }

    [Fact]
    public async Task The_right_code_for_a_new_number_while_the_business_takes_no_new_clients_says_so_instead_of_the_code_form()
    {
        var biz = await fixture.App.SignUpBusinessAsync("nonew");
        PortalAuthApp.Rules[biz.Id] = PortalRules.Default with { AcceptingNewClients = false }; // this fixture's rules seam
        var browser = fixture.NewClient();
        var mobile = PortalAuthHelpers.NewMobile();
        var phone = await browser.PageAsync($"/ol/phone?name={biz.Slug}");
        var codePage = await browser.SubmitAsync(phone, PortalHtml.Fields(("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, codePage.Status);
        var page = await browser.PageAsync(codePage.Response.Headers.Location!.OriginalString);

        var answer = await browser.SubmitAsync(page, PortalHtml.Fields(("Input.Code", await browser.CodeSentToAsync(mobile))));

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Contains("not taking new clients", answer.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Null(answer.One("input[name='Input.Code']"));
        Assert.Null(answer.One("#error-summary"));
    }

    [Fact]
    public async Task Wrong_codes_sent_at_once_under_different_spellings_of_the_attempt_id_still_count_to_five()
    {
        var biz = await fixture.App.SignUpBusinessAsync("code");
        var http = fixture.NewClient();
        var mobile = PortalAuthHelpers.NewMobile();
        var started = await http.StartAsync(biz.Slug, mobile);
        var attempt = Guid.Parse((await started.JsonAsync()).GetProperty("attemptId").GetString()!);
        var code = await http.CodeSentToAsync(mobile);
        string[] spellings = [attempt.ToString(), attempt.ToString().ToUpperInvariant(), attempt.ToString("N"), attempt.ToString("B"), attempt.ToString("B").ToUpperInvariant(), attempt.ToString("N").ToUpperInvariant()];

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            fixture.NewClient().VerifyAsync(biz.Slug, spellings[i % spellings.Length], PortalAuthHelpers.WrongCode(code))));

        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Gone));
        Assert.Equal(HttpStatusCode.Gone, (await http.VerifyAsync(biz.Slug, attempt.ToString(), code)).StatusCode);
    }

    /// <summary>/ol/phone with the number, as a browser posts it: the code page's address.</summary>
    private static async Task<string> AskForCodeAsync(HttpClient browser, string slug, string mobile)
    {
        var phone = await browser.PageAsync($"/ol/phone?name={slug}");
        var posted = await browser.SubmitAsync(phone, PortalHtml.Fields(("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        return posted.Response.Headers.Location!.OriginalString;
    }

    [Fact]
    public async Task An_expired_code_says_it_expired_and_offers_a_new_code_to_the_same_number_which_then_works()
    {
        var biz = await fixture.App.SignUpBusinessAsync("expired");
        var mobile = PortalAuthHelpers.NewMobile();
        var browser = fixture.NewClient();
        var codeUrl = await AskForCodeAsync(browser, biz.Slug, mobile);
        var code = await browser.CodeSentToAsync(mobile);
        var page = await browser.PageAsync(codeUrl);
        Assert.NotNull(page.One(".demo")); // Development with the outbox adapter: the texts are on /dev/sms

        // The code's own lifetime passes, the attempt's does not; and the 30-second spacing is over (moved against the
        // times the app wrote, since its clock need not be the database's).
        var db = fixture.App.Database.Database;
        await Sql.AdminExecAsync(db, "update portalauth.sign_in_attempts set code_expires_at = code_sent_at - interval '1 second' where mobile = @m", ("m", mobile));
        await Sql.AdminExecAsync(db, "update portalauth.code_sends set at = at - interval '1 minute' where mobile = @m", ("m", mobile));

        var expired = await browser.SubmitAsync(page, PortalHtml.Fields(("Input.Code", code)));
        Assert.Equal(HttpStatusCode.OK, expired.Status);
        Assert.Contains("This code has expired", expired.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("was used", expired.Text, StringComparison.Ordinal);
        Assert.Null(expired.One("input[name='Input.Code']"));
        Assert.Contains(PhoneDisplay.Mask(mobile, "AU"), expired.One("#code-sent-to")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(expired.One("#resend"));

        // Reloaded, the page says it too, before any code is typed.
        Assert.Contains("This code has expired", (await browser.PageAsync(codeUrl)).Text, StringComparison.Ordinal);

        var resent = await browser.SubmitAsync(expired, PortalHtml.Fields(), "form.resend");
        Assert.Equal(HttpStatusCode.Redirect, resent.Status);
        var fresh = await browser.CodeSentToAsync(mobile, 2);
        var again = await browser.PageAsync(resent.Response.Headers.Location!.OriginalString);
        Assert.Contains("We sent a new code", again.One("#code-sent-to")!.TextContent, StringComparison.Ordinal);
        var signedIn = await browser.SubmitAsync(again, PortalHtml.Fields(("Input.Code", fresh)));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.StartsWith("/ol/new-client", signedIn.Response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_resend_gives_the_wait_and_never_says_now_and_past_the_hourly_limit_the_button_is_disabled()
    {
        var biz = await fixture.App.SignUpBusinessAsync("limit");
        var mobile = PortalAuthHelpers.NewMobile();
        var browser = fixture.NewClient();
        var codeUrl = await AskForCodeAsync(browser, biz.Slug, mobile);
        await browser.CodeSentToAsync(mobile);
        var page = await browser.PageAsync(codeUrl);

        // Too soon after the last code (a browser without the script can press it): the seconds left, not "now".
        var early = await browser.SubmitAsync(page, PortalHtml.Fields(), "form.resend");
        Assert.Equal(HttpStatusCode.OK, early.Status);
        var earlyNote = early.One("#resend-note")!.TextContent;
        Assert.Matches(new Regex(@"You can ask for a new code in \d+ seconds\."), earlyNote);
        Assert.DoesNotContain("Did not get it", earlyNote, StringComparison.Ordinal);

        // Four more codes to the number in the last hour make the business's five; none in the last 30 seconds.
        var db = fixture.App.Database.Database;
        await Sql.AdminExecAsync(db, "update portalauth.code_sends set at = at - interval '1 minute' where mobile = @m", ("m", mobile));
        for (var i = 0; i < 4; i++)
        {
            await Sql.AdminExecAsync(db, """
                INSERT INTO portalauth.code_sends (tenant_id, id, mobile, ip, at)
                SELECT @t, @id, @m, '203.0.113.7', max(at) - interval '9 minutes' FROM portalauth.code_sends WHERE mobile = @m
                """, ("t", biz.Id), ("id", Guid.NewGuid()), ("m", mobile));
        }

        var refused = await browser.SubmitAsync(page, PortalHtml.Fields(), "form.resend");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("Too many codes were asked for in the last hour.", refused.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Wait a little", refused.Text, StringComparison.Ordinal);
        var note = refused.One("#resend-note")!.TextContent;
        var minutes = int.Parse(Regex.Match(note, @"You can ask for a new code in (\d+) minutes\.").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(minutes, 45, 51);
        Assert.DoesNotContain("now", note, StringComparison.Ordinal);
        Assert.True(refused.One("#resend")!.HasAttribute("disabled"));
        Assert.NotNull(refused.One("#sign-in-email"));
    }
}
