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
