using System.Net;
using System.Text;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Sending.Api;

/// <summary>
/// Malformed, hostile and oversized requests: a 4xx problem naming the field (by JSON path), and nothing published.
/// One app serves every test of the class: none of them has a request accepted, so nothing is ever published and each
/// test's "nothing published" holds for the app's whole life (an accepted request is in <see cref="MessageSizeTests"/>).
/// </summary>
public sealed class MessageValidationTests(MessageValidationTests.App app) : IClassFixture<MessageValidationTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public ApiApp Api { get; } = SendApiApp.Create();

        public Task InitializeAsync() => Task.CompletedTask;
        public Task DisposeAsync() => Api.DisposeAsync().AsTask();
    }

    private readonly ApiApp _api = app.Api;

    internal static string Ids(int count, string prefix = "wm") => "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"{prefix}{i:D30}\"")) + "]";
    internal static string Customer(string part) => "{\"kind\":\"customer-task\",\"corp\":\"acme\",\"customerTask\":" + part + "}";
    private static string Group(string part) => "{\"kind\":\"group-task\",\"corp\":\"acme\",\"groupTask\":" + part + "}";
    private static string Moment(string part) => "{\"kind\":\"moment-task\",\"corp\":\"acme\",\"momentTask\":" + part + "}";
    private static string Employee(string part, string app = "crm") => "{\"kind\":\"employee-message\",\"corp\":\"acme\",\"app\":\"" + app + "\",\"employeeMessage\":" + part + "}";
    private static string Template(string part) => "{\"kind\":\"template\",\"account\":\"brand\",\"template\":" + part + "}";
    private static string Service(string part) => "{\"kind\":\"customer-service\",\"account\":\"brand\",\"customerService\":" + part + "}";
    private static string Welcome(string part) => "{\"kind\":\"welcome\",\"corp\":\"acme\",\"app\":\"crm\",\"welcome\":" + part + "}";
    private static string Link(string fields) => Customer($$"""{"sender":"zhangsan","attachments":[{"type":"link",{{fields}}}]}""");
    private static readonly string Huge = new('长', 300_000);

    public static TheoryData<string, string> BadRequests => new()
    {
        // shape
        { "null", "$" },
        { "[]", "$" },
        { "{", "$" },
        { "{}", "kind" },
        { """{"kind":null,"corp":"acme"}""", "kind" },
        { """{"kind":"sms","corp":"acme"}""", "kind" },
        { """{"kind":42}""", "kind" },
        { """{"kind":"customer-task","corp":"acme"}""", "customerTask" },
        { """{"kind":"customer-task","corp":"acme","groupTask":{"sender":"zhangsan","text":"x"}}""", "groupTask" },
        { """{"kind":"customer-task","corp":"acme","customerTask":{"sender":"zhangsan","text":"x"},"template":{}}""", "template" },
        { """{"kind":"customer-task","corp":"acme","customerTask":null}""", "customerTask" },
        { """{"kind":"customer-task","corp":"acme","customerTask":"hello"}""", "customerTask" },
        { """{"kind":"customer-task","kind":"template","corp":"acme","customerTask":{"sender":"zhangsan","text":"x"}}""", "kind" },
        { """{"kind":"customer-task","corp":"acme","customerTask":{"sender":"zhangsan","text":"x","surprise":1}}""", "customerTask.surprise" },
        { "{\"kind\":\"customer-task\",\"x\":" + string.Concat(Enumerable.Repeat("[", 64)) + string.Concat(Enumerable.Repeat("]", 64)) + "}", "x" },
        // source
        { """{"kind":"customer-task","customerTask":{"sender":"zhangsan","text":"x"}}""", "corp" },
        { """{"kind":"customer-task","corp":"acme","account":"brand","customerTask":{"sender":"zhangsan","text":"x"}}""", "account" },
        { """{"kind":"customer-task","corp":"acme","app":"nope","customerTask":{"sender":"zhangsan","text":"x"}}""", "app" },
        { Employee("""{"toUsers":["zhangsan"],"content":"x"}""", app: "contact"), "app" },
        { """{"kind":"employee-message","corp":"acme","employeeMessage":{"toUsers":["zhangsan"],"content":"x"}}""", "app" },
        { """{"kind":"template","template":{"openId":"o1","templateId":"t1","data":{"a":"b"}}}""", "account" },
        { """{"kind":"template","account":"brand","corp":"acme","template":{"openId":"o1","templateId":"t1","data":{"a":"b"}}}""", "corp" },
        { """{"kind":"welcome","corp":"acme","welcome":{"welcomeCode":"C1","text":"x"}}""", "app" },
        // customer task
        { Customer("""{"text":"x"}"""), "customerTask" },
        { Customer("""{"sender":"zhangsan"}"""), "customerTask" },
        { Customer($$"""{"externalUserIds":{{Ids(10_001)}},"text":"x"}"""), "customerTask.externalUserIds" },
        { Customer("""{"externalUserIds":["wmA","wmB","wmA"],"text":"x"}"""), "customerTask.externalUserIds" },
        { Customer("""{"externalUserIds":["wmA","wmB","wmC","wm\u0007D"],"text":"x"}"""), "customerTask.externalUserIds[3]" },
        { Customer("""{"externalUserIds":["wmA","wmB","wmC","wm张三"],"text":"x"}"""), "customerTask.externalUserIds[3]" },
        { Customer("""{"externalUserIds":[null],"text":"x"}"""), "customerTask.externalUserIds[0]" },
        { Customer("""{"externalUserIds":[],"text":"x"}"""), "customerTask.externalUserIds" },
        { Customer("""{"externalUserIds":[1,2],"text":"x"}"""), "customerTask.externalUserIds[0]" },
        { Customer("""{"externalUserIds":"wmA","text":"x"}"""), "customerTask.externalUserIds" },
        { Customer("""{"sender":"zhangsan","allowSelect":"yes","text":"x"}"""), "customerTask.allowSelect" },
        { Customer($$"""{"tagFilter":[{{Ids(101, "et")}}],"text":"x"}"""), "customerTask.tagFilter[0]" },
        { Customer("""{"tagFilter":[null],"text":"x"}"""), "customerTask.tagFilter[0]" },
        { Customer($$"""{"sender":"zhangsan","text":"{{new string('字', 1334)}}"}"""), "customerTask.text" },
        { Customer($$"""{"sender":"zhangsan","text":"{{Huge}}"}"""), "customerTask.text" },
        { Customer("""{"sender":"zhangsan","text":"bell\u0000"}"""), "customerTask.text" },
        { Customer("""{"sender":"zhangsan","text":"half \ud800 pair"}"""), "customerTask.text" },
        { Customer("""{"sender":"zhang san","text":"x"}"""), "customerTask.sender" },
        // attachments
        { Customer("""{"sender":"zhangsan","attachments":[""" + string.Join(",", Enumerable.Repeat("""{"type":"file","mediaId":"M"}""", 10)) + "]}"), "customerTask.attachments" },
        { Customer("""{"sender":"zhangsan","attachments":[{"type":"sticker","mediaId":"M"}]}"""), "customerTask.attachments[0].type" },
        { Customer("""{"sender":"zhangsan","attachments":[{"mediaId":"M"}]}"""), "customerTask.attachments[0].type" },
        { Customer("""{"sender":"zhangsan","attachments":[null]}"""), "customerTask.attachments[0]" },
        { Customer("""{"sender":"zhangsan","attachments":[{"type":"image"}]}"""), "customerTask.attachments[0]" },
        { Customer("""{"sender":"zhangsan","attachments":[{"type":"video"}]}"""), "customerTask.attachments[0].mediaId" },
        { Link("""  "url":"https://a.example" """), "customerTask.attachments[0].title" },
        { Link($$""" "title":"{{new string('t', 129)}}","url":"https://a.example" """), "customerTask.attachments[0].title" },
        { Link($$""" "title":"t","url":"https://a.example","description":"{{new string('d', 513)}}" """), "customerTask.attachments[0].description" },
        { Link(""" "title":"t","url":"javascript:alert(1)" """), "customerTask.attachments[0].url" },
        { Link(""" "title":"t","url":"/relative" """), "customerTask.attachments[0].url" },
        { Link(""" "title":"t","url":"https://a.example/x y" """), "customerTask.attachments[0].url" },
        { Customer($$"""{"sender":"zhangsan","attachments":[{"type":"miniprogram","title":"{{new string('小', 22)}}","mediaId":"M","appId":"wx1","page":"p"}]}"""), "customerTask.attachments[0].title" },
        { Customer("""{"sender":"zhangsan","attachments":[{"type":"miniprogram","title":"t","mediaId":"M"}]}"""), "customerTask.attachments[0].appId" },
        // group task
        { Group("""{"chatIds":["wr1"],"text":"x"}"""), "groupTask.sender" },
        { Group($$"""{"sender":"zhangsan","chatIds":{{Ids(2001, "wr")}},"text":"x"}"""), "groupTask.chatIds" },
        // moment task
        { Moment("{}"), "momentTask" },
        { Moment($$"""{"text":"{{new string('a', 2001)}}"}"""), "momentTask.text" },
        { Moment("""{"attachments":[{"type":"image","mediaId":"M"},{"type":"video","mediaId":"V"}]}"""), "momentTask.attachments" },
        { Moment("""{"attachments":[{"type":"video","mediaId":"V"},{"type":"video","mediaId":"W"}]}"""), "momentTask.attachments" },
        { Moment("""{"attachments":[{"type":"file","mediaId":"F"}]}"""), "momentTask.attachments[0].type" },
        { Moment("""{"text":"x","senderDepartmentIds":[0]}"""), "momentTask.senderDepartmentIds[0]" },
        // employee message
        { Employee("""{"content":"x"}"""), "employeeMessage" },
        { Employee("""{"toAll":true,"toUsers":["zhangsan"],"content":"x"}"""), "employeeMessage.toAll" },
        { Employee("""{"toUsers":["zhangsan"]}"""), "employeeMessage.content" },
        { Employee($$"""{"toUsers":["zhangsan"],"content":"{{new string('x', 2049)}}"}"""), "employeeMessage.content" },
        { Employee($$"""{"toUsers":{{Ids(1001, "u")}},"content":"x"}"""), "employeeMessage.toUsers" },
        { Employee($$"""{"toParties":[{{string.Join(",", Enumerable.Range(1, 101))}}],"content":"x"}"""), "employeeMessage.toParties" },
        { Employee("""{"toUsers":["zhangsan"],"content":"x","duplicateCheckSeconds":14401}"""), "employeeMessage.duplicateCheckSeconds" },
        { Employee("""{"toUsers":["zhangsan"],"content":"x","msgType":"news"}"""), "employeeMessage.msgType" },
        { Employee("""{"toUsers":["zhangsan"],"content":"x","duplicateCheckSeconds":1e99}"""), "employeeMessage.duplicateCheckSeconds" },
        // template
        { Template("""{"templateId":"t1","data":{"a":"b"}}"""), "template.openId" },
        { Template("""{"openId":"o 1","templateId":"t1","data":{"a":"b"}}"""), "template.openId" },
        { Template("""{"openId":"o1","templateId":"t1"}"""), "template.data" },
        { Template("""{"openId":"o1","templateId":"t1","data":{}}"""), "template.data" },
        { Template("""{"openId":"o1","templateId":"t1","data":{"bad-name":"b"}}"""), "template.data" },
        { Template("""{"openId":"o1","templateId":"t1","data":{"a":"123456789012345678901"}}"""), "template.data.a" },
        { Template("""{"openId":"o1","templateId":"t1","data":{"a":null}}"""), "template.data.a" },
        { Template("""{"openId":"o1","templateId":"t1","data":{"a":{"value":"b"}}}"""), "template.data.a" },
        { Template("""{"openId":"o1","templateId":"t1","data":{"a":"b","a":"c"}}"""), "template.data.a" },
        { Template("{\"openId\":\"o1\",\"templateId\":\"t1\",\"data\":{" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"k{i}\":\"v\"")) + "}}"), "template.data" },
        { Template("""{"openId":"o1","templateId":"t1","data":{"a":"b"},"url":"ftp://a.example"}"""), "template.url" },
        { Template("""{"openId":"o1","templateId":"t1","data":{"a":"b"},"miniprogramAppId":"wx1"}"""), "template.miniprogramAppId" },
        // customer service
        { Service("""{"openId":"o1"}"""), "customerService.text" },
        { Service("""{"openId":"o1","msgType":"image"}"""), "customerService.mediaId" },
        { Service("""{"openId":"o1","msgType":"voice","mediaId":"M"}"""), "customerService.msgType" },
        { Service($$"""{"openId":"o1","text":"{{new string('x', 2049)}}"}"""), "customerService.text" },
        // welcome
        { Welcome("""{"text":"x"}"""), "welcome.welcomeCode" },
        { Welcome("""{"welcomeCode":"C 1","text":"x"}"""), "welcome.welcomeCode" },
        { Welcome("""{"welcomeCode":"C1"}"""), "welcome" },
        { Welcome($$"""{"welcomeCode":"C1","text":"{{new string('a', 4001)}}"}"""), "welcome.text" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_400_problem_details_naming_the_field_and_publishes_nothing(string json, string field)
    {
        var response = await _api.Client().PostJson(json);

        var problem = await ApiKeyTests.AssertProblem(response, 400);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
        Assert.Equal(0, _api.Events.Count);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_is_415(string contentType)
    {
        var response = await _api.Client().PostAsync(SendApiApp.Messages, new StringContent("kind=template", Encoding.UTF8, contentType));

        await ApiKeyTests.AssertProblem(response, 415);
        Assert.Equal(0, _api.Events.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_the_limit_is_413_with_content_length_or_chunked(bool chunked)
    {
        var json = Customer($$"""{"sender":"zhangsan","text":"{{new string('x', 2 * 1024 * 1024)}}"}""");
        HttpContent content = new StringContent(json, Encoding.UTF8, "application/json");
        if (chunked)
        {
            content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
            content.Headers.ContentType = new("application/json");
        }
        var request = new HttpRequestMessage(HttpMethod.Post, SendApiApp.Messages) { Content = content };
        if (chunked) request.Headers.TransferEncodingChunked = true;

        var response = await _api.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await ApiKeyTests.AssertProblem(response, 413);
        Assert.Equal(0, _api.Events.Count);
    }

    [Theory]
    [InlineData("del\u007fkey")]
    [InlineData("tab\tkey")]
    [InlineData("ключ")]
    public async Task A_malformed_idempotency_key_is_400(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, SendApiApp.Messages)
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(SendApiApp.CustomerTask(), System.Text.Json.JsonSerializerOptions.Web), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var problem = await ApiKeyTests.AssertProblem(await _api.Client().SendAsync(request), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Equal(0, _api.Events.Count);
    }

    [Fact]
    public async Task An_idempotency_key_of_256_characters_is_400()
    {
        var problem = await ApiKeyTests.AssertProblem(await _api.Client().PostMessage(SendApiApp.CustomerTask(), new string('k', 256)), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }
}
