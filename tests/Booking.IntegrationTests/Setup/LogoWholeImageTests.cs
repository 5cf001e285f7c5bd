using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// A logo's first bytes are not enough: a cut-off or broken file with the right signature was stored and served as a
/// broken image. The header with a sane size and the file's end are checked (no decoding).
/// </summary>
public sealed class LogoWholeImageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly Uri LogoRoute = new("/api/v1/admin/branding/logo", UriKind.Relative);

    private static MultipartFormDataContent Upload(byte[] bytes)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { file, "logo", "logo.png" } };
    }

    /// <summary>RIFF, WEBP, a VP8X header with the canvas size, then the 1×1 lossless image's VP8L chunk.</summary>
    private static byte[] WebPExtended(int width, int height)
    {
        byte[] image = LogoImages.WebPLossless()[12..];
        byte[] header =
        [
            .. "VP8X"u8.ToArray(), 10, 0, 0, 0, 0, 0, 0, 0,
            (byte)(width - 1), (byte)((width - 1) >> 8), (byte)((width - 1) >> 16),
            (byte)(height - 1), (byte)((height - 1) >> 8), (byte)((height - 1) >> 16),
        ];
        var size = BitConverter.GetBytes(4 + header.Length + image.Length);
        return [.. "RIFF"u8.ToArray(), .. size, .. "WEBP"u8.ToArray(), .. header, .. image];
    }

    public static TheoryData<string> Broken() =>
    [
        "png-first-40-bytes", "png-without-iend", "png-zero-width", "png-cut-mid-data",
        "jpeg-without-eoi", "jpeg-without-frame-header", "webp-cut-short", "webp-riff-size-wrong",
    ];

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task A_file_with_an_images_signature_but_not_whole_is_a_validation_problem_on_logo_and_nothing_is_served(string kind)
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var png = LogoImages.Png(4, 4);
        var bytes = kind switch
        {
            "png-first-40-bytes" => png[..40],
            "png-without-iend" => png[..^12],
            "png-zero-width" => LogoImages.Png(0, 1),
            "png-cut-mid-data" => [.. png[..^20], .. png[^12..]],
            "jpeg-without-eoi" => LogoImages.JpegLike()[..^2],
            "jpeg-without-frame-header" => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8.ToArray(), 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9],
            "webp-cut-short" => LogoImages.WebPLike()[..30],
            _ => [.. LogoImages.WebPLike(), 0, 0],
        };

        var problem = await (await biz.Owner.PutAsync(LogoRoute, Upload(bytes))).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validation", problem.Kind());
        Assert.Equal(["logo"], problem.ErrorFields());
        Assert.Equal("The image file is incomplete or damaged. Save it again from your image editor and upload it.",
            problem.GetProperty("errors").GetProperty("logo")[0].GetString());
        await (await shared.App.NewClient().GetAsync(new Uri($"/branding/logo?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Whole_pngs_jpegs_and_webps_of_each_kind_are_kept_and_one_too_large_to_be_a_logo_is_refused()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var anonymous = shared.App.NewClient();
        foreach (var (bytes, type) in new[]
                 {
                     (LogoImages.Png(3, 2), "image/png"), (LogoImages.JpegLike(), "image/jpeg"), (LogoImages.WebPLike(), "image/webp"),
                     (LogoImages.WebPLossless(), "image/webp"), (WebPExtended(1, 1), "image/webp"),
                 })
        {
            await (await biz.Owner.PutAsync(LogoRoute, Upload(bytes))).JsonAsync(HttpStatusCode.OK);
            var served = await anonymous.GetAsync(new Uri($"/branding/logo?name={biz.Slug}", UriKind.Relative));
            Assert.Equal(type, served.Content.Headers.ContentType!.MediaType);
            Assert.Equal(bytes, await served.Content.ReadAsByteArrayAsync());
        }

        foreach (var huge in new[] { LogoImages.Png(8193, 1), WebPExtended(1, 9000) })
        {
            var problem = await (await biz.Owner.PutAsync(LogoRoute, Upload(huge))).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["logo"], problem.ErrorFields());
            Assert.Contains("8192 pixels", problem.GetProperty("errors").GetProperty("logo")[0].GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_body_that_is_not_multipart_is_415_saying_to_send_the_logo_as_multipart_and_the_document_says_so_too()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        using var json = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        using var none = new ByteArrayContent(LogoImages.Png());
        foreach (var body in new HttpContent[] { json, none })
        {
            var problem = await (await biz.Owner.PutAsync(LogoRoute, body)).JsonAsync(HttpStatusCode.UnsupportedMediaType);
            Assert.Equal("unsupported-media-type", problem.Kind());
            Assert.Equal("Send the logo as multipart/form-data with a file field named \"logo\".", problem.GetProperty("detail").GetString());
        }

        // The document still describes the multipart body, now with its field, and the 415.
        using var document = JsonDocument.Parse(await shared.App.NewClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var put = document.RootElement.GetProperty("paths").GetProperty("/api/v1/admin/branding/logo").GetProperty("put");
        var content = put.GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["multipart/form-data"], content.EnumerateObject().Select(p => p.Name));
        Assert.Equal("binary", content.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("logo").GetProperty("format").GetString());
        Assert.Contains("`unsupported-media-type`", put.GetProperty("responses").GetProperty("415").GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
