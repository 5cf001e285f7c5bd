using System.Text;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;

namespace Booking.Tenancy.Tests;

public sealed class PasswordTests
{
    [Fact]
    public void The_common_password_list_is_the_published_one_with_at_least_ten_thousand_entries()
    {
        Assert.True(PasswordPolicy.CommonPasswordCount >= 10_000, $"{PasswordPolicy.CommonPasswordCount} entries");
        Assert.True(PasswordPolicy.IsCommon("password"));
        Assert.True(PasswordPolicy.IsCommon("1QAZ2WSX3EDC4RFV"));
    }

    [Theory]
    [InlineData("short one", false)]
    [InlineData("fourteen chars", false)]
    [InlineData("fifteen chars!!", true)]
    [InlineData("1qaz2wsx3edc4rfv", false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("abcdabcdabcdabcdabc", false)]
    [InlineData("abcdeabcdeabcdeabcde", true)]
    public void Fifteen_characters_and_not_common(string password, bool ok) => Assert.Equal(ok, PasswordPolicy.Check(password) is null);

    [Theory]
    [InlineData("password12345678", false)] // the reviewer's: a common password, its letters alone, padded with a run of digits
    [InlineData("Password!!!!!!!!1", false)]
    [InlineData("!!!password2024!!!", false)]
    [InlineData("2024!2024!sunshine", false)]
    [InlineData("abcdefghijklmnopq", false)] // a run in order
    [InlineData("123456789012345", false)]
    [InlineData("zyxwvutsrqponmlk", false)]
    [InlineData("password918273645012", true)] // a long random tail is not weak padding
    [InlineData("correct horse battery staple 2026", true)]
    [InlineData("a long walk on a quiet beach at dawn", true)]
    public void A_common_password_padded_with_digits_or_symbols_or_a_run_in_order_is_refused(string password, bool ok)
    {
        var problem = PasswordPolicy.Check(password);
        Assert.True(ok == problem is null, $"{password}: {problem ?? "accepted"}");
    }

    [Fact]
    public void Length_counts_characters_not_utf16_units_and_allows_up_to_256()
    {
        var emoji = string.Concat(Enumerable.Range(0x1F400, 15).Select(char.ConvertFromUtf32)); // 15 animals, 30 UTF-16 units
        Assert.Equal(30, emoji.Length);
        Assert.Null(PasswordPolicy.Check(emoji));
        Assert.NotNull(PasswordPolicy.Check(string.Concat(Enumerable.Repeat("\U0001F436", 15)))); // one dog over and over
        Assert.Null(PasswordPolicy.Check(new string('x', 250) + "abcdef"));
        Assert.NotNull(PasswordPolicy.Check(new string('x', 257)));
    }

    [Fact]
    public void Hashes_verify_after_NFKC_so_composed_and_decomposed_forms_match()
    {
        var hashing = new PasswordHashing();
        var composed = "caf\u00e9 au lait sur la terrasse".Normalize(NormalizationForm.FormC);
        var decomposed = composed.Normalize(NormalizationForm.FormD);
        Assert.NotEqual(composed, decomposed);

        var hash = hashing.Hash(composed);

        Assert.Equal(PasswordCheck.Right, hashing.Verify(hash, decomposed));
        Assert.Equal(PasswordCheck.Wrong, hashing.Verify(hash, "cafe au lait sur la terrasse"));
        Assert.Equal(PasswordCheck.Wrong, hashing.Verify(null, composed));
    }

    [Fact]
    public void Hashes_use_PBKDF2_SHA512_at_210000_iterations()
    {
        var bytes = Convert.FromBase64String(new PasswordHashing().Hash("a perfectly fine passphrase"));
        Assert.Equal(0x01, bytes[0]); // ASP.NET Core Identity v3 format
        var prf = (bytes[1] << 24) | (bytes[2] << 16) | (bytes[3] << 8) | bytes[4];
        var iterations = (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
        Assert.Equal(2, prf); // HMACSHA512
        Assert.Equal(210_000, iterations);
    }

    [Fact]
    public void A_hash_with_fewer_iterations_verifies_and_asks_for_a_rehash()
    {
        var weak = new Microsoft.AspNetCore.Identity.PasswordHasher<object>(Microsoft.Extensions.Options.Options.Create(
            new Microsoft.AspNetCore.Identity.PasswordHasherOptions { IterationCount = 10_000 }));
        var old = weak.HashPassword(new object(), "an older passphrase here");
        Assert.Equal(PasswordCheck.RightNeedsRehash, new PasswordHashing().Verify(old, "an older passphrase here"));
    }

    /// <summary>By index: a lone surrogate does not survive xUnit's serialising of a theory's data.</summary>
    private static readonly string[] NotText =
    [
        "a long password \ufffe here",
        "a long password \uffff here",
        "a long password \ud800 here", // half a surrogate pair
        "a long password \udc00 here",
        "a long password \U0010FFFF here", // a noncharacter past the first plane
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_password_that_is_not_text_is_refused_in_words_and_never_verifies(int which)
    {
        var password = NotText[which];
        Assert.Equal(PasswordPolicy.NotTextMessage, PasswordPolicy.Check(password));
        Assert.False(WellFormedText.TryNormalize(password, System.Text.NormalizationForm.FormC, out _));
        var hashing = new PasswordHashing();
        Assert.Equal(PasswordCheck.Wrong, hashing.Verify(hashing.Hash("a long password here, well formed"), password));
        Assert.Equal(PasswordCheck.Wrong, hashing.Verify(null, password));
    }

    [Theory]
    [InlineData("pat@example.com", true)]
    [InlineData("pat.o'neil+tag@sub.example.co.uk", true)]
    [InlineData("not-an-email", false)]
    [InlineData("pat@localhost", false)]
    [InlineData("Pat <pat@example.com>", false)]
    [InlineData(" pat@example.com", false)]
    [InlineData("a@[127.0.0.1]", false)] // a domain literal: the relay would deliver to that IP
    [InlineData("a@[IPv6:::1]", false)]
    [InlineData("a@[10.0.0.1.example]", false)]
    [InlineData("=?utf-8?q?pat?=@example.com", false)] // an encoded word, which some mail software decodes
    [InlineData("\"=?utf-8?b?cGF0?=\"@example.com", false)]
    [InlineData("pat=?x@example.com", true)] // "=?" alone is an ordinary local part
    public void Email_addresses_are_plain_addresses(string value, bool ok) => Assert.Equal(ok, EmailAddress.IsValid(value));

    [Theory]
    [InlineData("Owner.Email", "owner.email")]
    [InlineData("$.owner.password", "owner.password")]
    [InlineData("Blocks[0].End", "blocks[0].end")]
    [InlineData("", "body")]
    public void Problem_field_names_are_camel_case_json_paths(string name, string path) => Assert.Equal(path, ProblemWriter.JsonPath(name));
}
