using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// The API reads a code typed in any script's decimal digits as the pages do (the commands normalise it, one rule for
/// both): phone sign-in's and proving a mobile's verify routes take Arabic-Indic, Devanagari or full-width digits and
/// digits beyond the BMP; anything else is <c>validation</c> on <c>code</c>, and the attempt lives on.
/// </summary>
public sealed class ApiCodeInputTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private static string InDigits(string code, int zero) => string.Concat(code.Select(c => char.ConvertFromUtf32(zero + (c - '0'))));

    private static async Task AssertNotACodeAsync(HttpResponseMessage answer)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await answer.JsonAsync();
        Assert.EndsWith("/validation", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("The code is 6 digits.", problem.GetProperty("errors").GetProperty("code")[0].GetString());
    }

    [Fact]
    public async Task Phone_sign_in_and_proving_a_mobile_take_a_code_in_any_scripts_digits_and_refuse_anything_else_on_code()
    {
        var biz = await fixture.App.SignUpBusinessAsync("apicodes");

        // A new number, verified in Arabic-Indic digits after three refusals that count no wrong try.
        var http = fixture.NewClient();
        var mobile = PortalAuthHelpers.NewMobile();
        var attempt = (await (await http.StartAsync(biz.Slug, mobile)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        var code = await http.CodeSentToAsync(mobile);
        await AssertNotACodeAsync(await http.VerifyAsync(biz.Slug, attempt, InDigits(code[..5], 0x0660) + "a"));
        await AssertNotACodeAsync(await http.VerifyAsync(biz.Slug, attempt, code[..5] + "²")); // a number, not a decimal digit
        var number = await http.PostAsJsonAsync($"/api/v1/portal/auth/phone/verify?name={biz.Slug}", new { attemptId = attempt, code = 123456 });
        Assert.Equal(HttpStatusCode.BadRequest, number.StatusCode);
        Assert.Contains((await number.JsonAsync()).GetProperty("errors").EnumerateObject(), e => e.Name.Contains("code", StringComparison.Ordinal));
        Assert.Equal(4, await WrongAsync(await http.VerifyAsync(biz.Slug, attempt, InDigits(PortalAuthHelpers.WrongCode(code), 0x1D7CE))));
        var verified = await http.VerifyAsync(biz.Slug, attempt, " " + InDigits(code, 0x0660) + " ");
        Assert.Equal("new-client", (await verified.JsonAsync(HttpStatusCode.OK)).GetProperty("outcome").GetString());

        // A signed-in client proves a mobile with Devanagari digits.
        var client = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await client.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        var proved = PortalAuthHelpers.NewMobile();
        var proof = (await (await client.StartProofAsync(biz.Slug, proved)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        var proofCode = await client.CodeSentToAsync(proved);
        await AssertNotACodeAsync(await client.VerifyProofAsync(biz.Slug, proof, "12 345"));
        var me = await (await client.VerifyProofAsync(biz.Slug, proof, InDigits(proofCode, 0x0966))).JsonAsync(HttpStatusCode.OK);
        Assert.True(me.GetProperty("mobileVerified").GetBoolean());
    }

    /// <summary>A wrong code's answer: the tries left.</summary>
    private static async Task<int> WrongAsync(HttpResponseMessage answer)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await answer.JsonAsync();
        Assert.EndsWith("/invalid-code", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        return problem.GetProperty("attemptsLeft").GetInt32();
    }
}
