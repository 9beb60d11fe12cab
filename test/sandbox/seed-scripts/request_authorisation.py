from urllib.parse import urlencode

CLIENT_ID = "[your_id]"
URL = '{{EXIST_URL}}/oauth2/authorize'

# the parameters we'll be sending
params = {'client_id': CLIENT_ID, 
          'response_type':'code', 
          'redirect_uri':'http://localhost:8000/',
          'scope':'media_write',
         }

# let's encode them appropriately for a URL
querystring = urlencode(params)
# and finally print the complete result to the terminal
print(f"{URL}?{querystring}")
