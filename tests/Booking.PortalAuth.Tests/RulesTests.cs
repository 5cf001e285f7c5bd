using System.Text;
using Booking.PortalAuth.Domain;

namespace Booking.PortalAuth.Tests;

public sealed class SignInCodeTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a test key that is thirty-two by");

    private static readonly SignInCodes Codes = new(Key);

    [Fact]
    public void Codes_are_six_digits_and_vary()
    {
        var many = Enumerable.Range(0, 200).Select(_ => SignInCodes.NewCode()).ToList();
        Assert.All(many, c => Assert.True(SignInCodes.IsWellFormed(c), c));
        Assert.True(many.Distinct().Count() > 150);
    }

    [Fact]
    public void A_code_matches_only_its_own_attempt_and_only_under_the_same_key()
    {
        var attempt = Guid.NewGuid();
        var hash = Codes.Hash(attempt, "123456", CodePurpose.SignIn);
        Assert.True(Codes.Matches(attempt, "123456", hash, CodePurpose.SignIn));
        Assert.False(Codes.Matches(attempt, "123457", hash, CodePurpose.SignIn));
        Assert.False(Codes.Matches(Guid.NewGuid(), "123456", hash, CodePurpose.SignIn));
        Assert.False(new SignInCodes(new byte[32]).Matches(attempt, "123456", hash, CodePurpose.SignIn));
        Assert.DoesNotContain("123456", Convert.ToHexString(hash), StringComparison.Ordinal);
    }

    [Fact]
    public void The_steps_that_guard_a_change_bind_their_purpose_into_the_hash_and_sign_in_and_proof_keep_the_old_form()
    {
        var attempt = Guid.NewGuid();
        var old = System.Security.Cryptography.HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(attempt.ToString("N") + ":123456"));
        foreach (var plain in new[] { CodePurpose.SignIn, CodePurpose.AddMobile, CodePurpose.ChangeMobile })
        {
            Assert.Equal(old, Codes.Hash(attempt, "123456", plain)); // codes in flight when the purposes were told apart still work
        }

        var email = Codes.Hash(attempt, "123456", CodePurpose.ChangeEmail);
        var confirm = Codes.Hash(attempt, "123456", CodePurpose.ConfirmMobile);
        Assert.True(Codes.Matches(attempt, "123456", confirm, CodePurpose.ConfirmMobile));
        Assert.False(Codes.Matches(attempt, "123456", confirm, CodePurpose.ChangeEmail));
        Assert.False(Codes.Matches(attempt, "123456", email, CodePurpose.ConfirmMobile));
        Assert.False(Codes.Matches(attempt, "123456", confirm, CodePurpose.ChangeMobile));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12345a")]
    [InlineData("１２３４５６")] // full-width digits are not ASCII digits
    [InlineData(null)]
    public void Malformed_codes_are_recognised(string? code) => Assert.False(SignInCodes.IsWellFormed(code));
}

public sealed class MobileTests
{
    [Theory]
    [InlineData("0412 345 678", "AU", "+61412345678")]
    [InlineData("+61 412 345 678", "AU", "+61412345678")]
    [InlineData("(04) 1234-5678", "au", "+61412345678")]
    [InlineData("07400 123456", "GB", "+447400123456")]
    [InlineData("+44 7400 123456", "AU", "+447400123456")]
    public void Mobiles_are_read_with_the_business_country_as_default(string input, string region, string expected) =>
        Assert.Equal(expected, Mobiles.ToE164(input, region));

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("0412")]
    [InlineData("02 9999 9999")] // a Sydney landline cannot take a text
    [InlineData("+61 412 345 678 999 999")]
    [InlineData("0412345678; DROP TABLE")]
    public void Malformed_or_landline_numbers_are_refused(string input) => Assert.Null(Mobiles.ToE164(input, "AU"));

    [Theory]
    [InlineData("01422 555 124", "GB", true)] // a Halifax landline
    [InlineData("02 9374 4000", "AU", true)] // a Sydney landline
    [InlineData("07400 123456", "GB", false)] // a mobile
    [InlineData("0412 345 678", "AU", false)]
    [InlineData("(650) 253-0000", "US", false)] // FIXED_LINE_OR_MOBILE: a mobile to ToE164, never a landline
    [InlineData("hello", "GB", false)]
    [InlineData("0412", "AU", false)]
    public void A_landline_is_told_apart_from_a_mobile_and_from_a_number_that_is_not_one(string input, string region, bool landline)
    {
        Assert.Equal(landline, Mobiles.IsLandline(input, region));
        Assert.Equal(landline ? Mobiles.LandlineMessage : Mobiles.NotValid, Mobiles.Refusal(input, region));
    }

    [Fact]
    public void A_number_that_may_be_a_mobile_is_still_accepted() => Assert.Equal("+16502530000", Mobiles.ToE164("(650) 253-0000", "US"));

    [Theory]
    [InlineData("98765-4321", "BR", "Include the area code, as in (11) 96123-4567.")] // a São Paulo mobile dialled locally
    [InlineData("555-1234", "US", "Include the area code, as in (201) 555-0123.")]
    [InlineData("12345", "AU", "Enter a valid mobile number.")] // too short for anything
    [InlineData("9374 4000", "AU", "Enter a valid mobile number.")] // a landline without its area code: no mobile is that short
    [InlineData("hello", "BR", "Enter a valid mobile number.")]
    public void A_mobile_typed_without_its_area_code_is_asked_for_it_with_the_country_s_example(string input, string region, string words)
    {
        Assert.Null(Mobiles.ToE164(input, region));
        Assert.Equal(words, Mobiles.Refusal(input, region));
        Assert.Equal("+5511987654321", Mobiles.ToE164("(11) 98765-4321", "BR")); // with it, the same number is taken
    }
}

public sealed class SendLimitTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PortalAuthOptions Options = new();

    [Fact]
    public void First_code_goes_at_once() =>
        Assert.Null(SendLimits.RetryAfterSeconds(new RecentSends([], [], 0, 0), Now, Options));

    [Fact]
    public void A_second_code_within_30_seconds_waits_for_the_rest_of_the_cooldown()
    {
        Assert.Equal(20, SendLimits.RetryAfterSeconds(new RecentSends([Now.AddSeconds(-10)], [Now.AddSeconds(-10)], 1, 1), Now, Options));
        Assert.Null(SendLimits.RetryAfterSeconds(new RecentSends([Now.AddSeconds(-30)], [Now.AddSeconds(-30)], 1, 1), Now, Options));
    }

    [Fact]
    public void Five_codes_an_hour_per_phone_then_wait_until_the_oldest_leaves_the_hour()
    {
        var sends = new[] { -50, -40, -30, -20, -10 }.Select(m => Now.AddMinutes(m)).ToList();
        Assert.Equal(10 * 60, SendLimits.RetryAfterSeconds(new RecentSends(sends, sends, 5, 5), Now, Options));
        var four = sends.Skip(1).ToList();
        Assert.Null(SendLimits.RetryAfterSeconds(new RecentSends(four, four, 4, 4), Now, Options));
    }

    [Fact]
    public void Ip_and_tenant_caps_refuse()
    {
        Assert.NotNull(SendLimits.RetryAfterSeconds(new RecentSends([], [], 20, 20), Now, Options));
        Assert.Null(SendLimits.RetryAfterSeconds(new RecentSends([], [], 19, 499), Now, Options));
        Assert.NotNull(SendLimits.RetryAfterSeconds(new RecentSends([], [], 0, 500), Now, Options));
    }

    [Fact]
    public void Other_businesses_sends_count_for_the_cooldown_and_the_platform_cap_per_phone()
    {
        // A send from another business 10 s ago: this business has sent nothing, yet the number waits out the cooldown.
        Assert.Equal(20, SendLimits.RetryAfterSeconds(new RecentSends([], [Now.AddSeconds(-10)], 1, 0), Now, Options));
        var eight = Enumerable.Range(1, 8).Select(m => Now.AddMinutes(-5 * m)).ToList();
        Assert.Equal(20 * 60, SendLimits.RetryAfterSeconds(new RecentSends([], eight, 0, 0), Now, Options));
        Assert.Null(SendLimits.RetryAfterSeconds(new RecentSends([], eight.Take(7).ToList(), 0, 0), Now, Options));
    }

    [Fact]
    public void The_platform_budget_hour_is_the_clock_hour()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), SendLimits.BudgetHour(Now.AddMinutes(59)));
        Assert.Equal(60, SendLimits.UntilNextBudgetHour(Now.AddMinutes(59)));
    }
}
