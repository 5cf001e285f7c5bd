using System.Net;
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
}
