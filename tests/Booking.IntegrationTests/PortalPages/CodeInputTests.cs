using System.Net;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// The pages where a client types an SMS code: the number the code went to is named (masked) on both code pages, and a
/// code typed in any script's decimal digits (a phone keyboard set to Arabic types "١٢٣٤٥٦") is read as the code, on
/// phone sign-in (a client on file, a new client) and on proving a mobile from Your details; nothing else is.
/// </summary>
public sealed class CodeInputTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    /// <summary>The ASCII code written in the digits of the script whose zero is <paramref name="zero"/>.</summary>
    private static string InDigits(string code, int zero) =>
        string.Concat(code.Select(c => char.ConvertFromUtf32(zero + (c - '0'))));

    private const int ArabicIndic = 0x0660;
    private const int Devanagari = 0x0966;
    private const int FullWidth = 0xFF10;
    private const int MathematicalBold = 0x1D7CE; // outside the BMP: two UTF-16 units a digit

    /// <summary>"•••• ••• 678": the number as the (Australian) business writes it, all but its last three digits as dots.</summary>
    private static string Masked(string mobile) => "•••• ••• " + mobile[^3..]; // an Australian business's "0401 234 567", masked

    /// <summary>Posts the number on /ol/account/mobile and opens the code page it redirects to.</summary>
    private static async Task<HtmlPage> AccountCodePageAsync(HttpClient http, string slug, string mobile)
    {
        var sent = await http.SubmitAsync(await http.PageAsync($"/ol/account/mobile?name={slug}"), PortalHtml.Fields(("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        return await http.PageAsync(sent.Response.Headers.Location!.OriginalString);
    }

    /// <summary>Posts the number on /ol/phone and opens the code page it redirects to.</summary>
    private static async Task<HtmlPage> PhoneCodePageAsync(HttpClient http, string slug, string mobile)
    {
        var sent = await http.SubmitAsync(await http.PageAsync($"/ol/phone?name={slug}"), PortalHtml.Fields(("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        return await http.PageAsync(sent.Response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_account_mobile_code_page_names_the_masked_number_with_a_way_to_change_it_and_only_to_its_client()
    {
        var biz = await fixture.App.SignUpBusinessAsync("codes");
        var http = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        var mobile = PortalAuthHelpers.NewMobile();

        var page = await AccountCodePageAsync(http, biz.Slug, mobile);

        var sentTo = page.One("#code-sent-to")!.TextContent;
        Assert.Contains($"We sent a 6-digit code to {Masked(mobile)}.", sentTo, StringComparison.Ordinal);
        Assert.DoesNotContain(mobile[3..], sentTo, StringComparison.Ordinal);
        Assert.DoesNotContain("the mobile you gave", page.Text, StringComparison.Ordinal);
        Assert.Equal($"/ol/account/mobile?name={biz.Slug}", page.One("#change-number")!.GetAttribute("href"));
        Assert.Equal("Wrong number? Change it", page.One("#change-number")!.TextContent);

        // Another client of the business opening the same address is told no number.
        var other = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await other.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        var theirs = await other.PageAsync(page.Response.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.Contains("We sent a 6-digit code to your mobile.", theirs.One("#code-sent-to")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(mobile[^3..] + ".", theirs.One("#code-sent-to")!.TextContent, StringComparison.Ordinal);
        // Nor does the sign-in code page name a mobile-proving attempt.
        var asSignIn = await fixture.NewClient().PageAsync($"/ol/phone/code?name={biz.Slug}&attempt={page.Response.RequestMessage!.RequestUri!.Query.Split("attempt=")[1].Split('&')[0]}");
        Assert.Contains("to your mobile.", asSignIn.One("#code-sent-to")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_typed_in_another_scripts_digits_proves_a_mobile_from_Your_details()
    {
        var biz = await fixture.App.SignUpBusinessAsync("codes");
        var http = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await http.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        var mobile = PortalAuthHelpers.NewMobile();
        var page = await AccountCodePageAsync(http, biz.Slug, mobile);
        var code = await http.CodeSentToAsync(mobile);

        // Not digits: refused as not a code, and the attempt lives on (no wrong try counted).
        var letters = await http.SubmitAsync(page, PortalHtml.Fields(("Input.Code", code[..5] + "a")));
        Assert.Equal(HttpStatusCode.OK, letters.Status);
        Assert.Equal("The code is 6 digits.", letters.ErrorFor("Input.Code"));
        var superscript = await http.SubmitAsync(page, PortalHtml.Fields(("Input.Code", code[..5] + "²"))); // a number, not a decimal digit
        Assert.Equal("The code is 6 digits.", superscript.ErrorFor("Input.Code"));

        var done = await http.SubmitAsync(page, PortalHtml.Fields(("Input.Code", " " + InDigits(code, FullWidth) + " ")));
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        Assert.Equal($"/ol/account?name={biz.Slug}", done.Response.Headers.Location!.OriginalString);
        Assert.True((await (await http.MeAsync(biz.Slug)).JsonAsync()).GetProperty("mobileVerified").GetBoolean());
    }

    [Fact]
    public async Task A_code_typed_in_another_scripts_digits_signs_in_by_phone_and_starts_a_new_client()
    {
        var biz = await fixture.App.SignUpBusinessAsync("codes");

        // A new number: Devanagari digits verify it, on to the new client's details.
        var newcomer = fixture.NewClient();
        var fresh = PortalAuthHelpers.NewMobile();
        var page = await PhoneCodePageAsync(newcomer, biz.Slug, fresh);
        var joined = await newcomer.SubmitAsync(page, PortalHtml.Fields(("Input.Code", InDigits(await newcomer.CodeSentToAsync(fresh), Devanagari))));
        Assert.Equal(HttpStatusCode.Redirect, joined.Status);
        Assert.StartsWith($"/ol/new-client?name={biz.Slug}", joined.Response.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // A client on file: Arabic-Indic digits sign in.
        var mobile = PortalAuthHelpers.NewMobile();
        await fixture.NewClient().JoinByPhoneAsync(biz.Slug, mobile);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var browser = fixture.NewClient();
        page = await PhoneCodePageAsync(browser, biz.Slug, mobile);
        var code = await browser.CodeSentToAsync(mobile, 2);
        // Digits outside the BMP are digits too; a mix of a digit and a letter is not.
        Assert.Equal("The code is 6 digits.", (await browser.SubmitAsync(page, PortalHtml.Fields(("Input.Code", InDigits(code[..5], ArabicIndic) + "x")))).ErrorFor("Input.Code"));
        var wrong = await browser.SubmitAsync(page, PortalHtml.Fields(("Input.Code", InDigits(PortalAuthHelpers.WrongCode(code), MathematicalBold))));
        Assert.Contains("That code is not right. 4 tries left.", wrong.ErrorFor("Input.Code"), StringComparison.Ordinal);

        var signedIn = await browser.SubmitAsync(page, PortalHtml.Fields(("Input.Code", InDigits(code, ArabicIndic))));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.MeAsync(biz.Slug)).StatusCode);
    }
}
