using Booking.Notifications.Rendering;

namespace Booking.IntegrationTests.Notifications;

/// <summary>Brackets of fields ("( {ClientMobilePhone}, {ClientEmail} )") keep only the fields that have a value.</summary>
public sealed class MergeFieldListTests
{
    private const string Text = "{ClientFullName} ( {ClientMobilePhone}, {ClientEmail} ) asked to book.";

    private static string Render(string text, string? mobile, string? email) =>
        MergeFields.Render(text, f => f switch
        {
            "ClientFullName" => "Ana Lee",
            "ClientMobilePhone" => mobile,
            "ClientEmail" => email,
            _ => null,
        });

    [Theory]
    [InlineData("+61412000111", "ana@example.com", "Ana Lee (+61412000111, ana@example.com) asked to book.")]
    [InlineData(null, "ana@example.com", "Ana Lee (ana@example.com) asked to book.")]
    [InlineData("+61412000111", "", "Ana Lee (+61412000111) asked to book.")]
    [InlineData(null, null, "Ana Lee asked to book.")]
    public void Only_the_details_that_exist_are_listed(string? mobile, string? email, string expected) =>
        Assert.Equal(expected, Render(Text, mobile, email));

    /// <summary>Decision 296: an empty bracket goes with the spaces before it (at a line's start, the space after it), round or square.</summary>
    [Theory]
    [InlineData("{ClientFullName}  ( {ClientMobilePhone} ) just made this appointment", null, "Ana Lee just made this appointment")]
    [InlineData("{ClientFullName}  ( {ClientMobilePhone} ) just made this appointment", "0412 000 111", "Ana Lee (0412 000 111) just made this appointment")]
    [InlineData("{ClientFullName} ({ClientMobilePhone}): cancelled", null, "Ana Lee: cancelled")]
    [InlineData("{ClientFullName} [ {ClientMobilePhone} ] booked", null, "Ana Lee booked")]
    [InlineData("{ClientFullName} [{ClientMobilePhone}] booked", "0412 000 111", "Ana Lee [0412 000 111] booked")]
    [InlineData("({ClientMobilePhone}) called\n  ({ClientMobilePhone}) again", null, "called\n  again")]
    [InlineData("{ClientFullName}({ClientMobilePhone}) booked", null, "Ana Lee booked")]
    [InlineData("{ClientFullName} ({ClientMobilePhone})booked", null, "Ana Lee booked")]
    public void An_empty_bracket_leaves_no_litter_and_no_double_space(string text, string? mobile, string expected) =>
        Assert.Equal(expected, Render(text, mobile, email: null));

    [Fact]
    public void Brackets_with_words_in_them_are_the_template_s_own_text() =>
        Assert.Equal("Ana Lee (mobile: , email: ana@example.com)", Render("{ClientFullName} (mobile: {ClientMobilePhone}, email: {ClientEmail})", null, "ana@example.com"));

    [Fact]
    public void The_HTML_part_encodes_the_template_text_around_the_kept_fields() =>
        Assert.Equal("&lt;b&gt; (ana@example.com)", MergeFields.Render("<b> ( {ClientMobilePhone}, {ClientEmail} )",
            f => f == "ClientEmail" ? "ana@example.com" : null, System.Net.WebUtility.HtmlEncode));

    [Fact]
    public void A_closing_field_is_put_in_as_merge_text_and_literal_braces_stay_literal() =>
        Assert.Equal("{ClosingBookAgain} {x} To book again, visit https://booking.test/ol/book?name=a\n\nQuestions? Contact A.",
            MergeFields.Render(PortalClosings.Expand("{{ClosingBookAgain}} {{x}} {ClosingBookAgain}", ClientPortalAccess.Everything),
                f => f switch { "PortalUrl" => "https://booking.test/ol/book?name=a", "BusinessName" => "A", _ => null }));
}

/// <summary>Decision 296: a client's number in a message drops the brackets round its area code ("((02) 9374 4000)" read badly).</summary>
public sealed class ClientPhoneShownTests
{
    [Theory]
    [InlineData("(02) 9374 4000", "02 9374 4000")]
    [InlineData("(201) 555-0123", "201-555-0123")]
    [InlineData("0412 345 678", "0412 345 678")]
    [InlineData("+1 201-555-0123", "+1 201-555-0123")]
    [InlineData("ring (02) later", "ring (02) later")]
    public void Area_code_brackets_go_and_the_digits_stay(string shown, string expected) =>
        Assert.Equal(expected, Booking.Notifications.Rendering.EmailRenderer.WithoutAreaCodeBrackets(shown));
}
